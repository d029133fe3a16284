"""Form pieces shared by every create form: the client_uuid and the time made on the device."""
import uuid
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

from .clock import utcnow

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
# A device clock may run a little fast; more than this and we trust the server's time instead.
DEVICE_CLOCK_SLACK = timedelta(minutes=10)


class CreateForm(FlaskForm):
    """Base of every form that creates a record, online or replayed from the offline outbox.

    The browser sets client_uuid (crypto.randomUUID) and made_at at submit time; the values
    rendered by the server are the no-JavaScript fallback.
    """

    client_uuid = HiddenField(validators=[
        DataRequired(message=_l("This form is missing its entry id. Please reload the page.")),
        Regexp(UUID_PATTERN, message=_l("This form is missing its entry id. Please reload the page.")),
    ], default=lambda: str(uuid.uuid4()))
    made_at = HiddenField()

    def device_time(self):
        """When the entry was made on the device (naive UTC); the server's time if unknown."""
        now = utcnow()
        try:
            made = datetime.fromisoformat((self.made_at.data or "").replace("Z", "+00:00"))
        except ValueError:
            return now
        if made.tzinfo is not None:
            made = made.astimezone(UTC).replace(tzinfo=None)
        if made > now + DEVICE_CLOCK_SLACK or made < now - timedelta(days=60):
            return now
        return made
