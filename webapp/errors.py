"""Error pages in the user's language; a refused CSRF token explains itself."""
from flask import g, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from . import audit
from .db import DatabaseBusy
from .entry_ids import EntryIdTaken
from .extensions import login_manager
from .trust import probing


def init_app(app):
    @app.errorhandler(404)
    def not_found(error):
        probing.note_not_found()  # out of scope (or absent) for a signed-in user: a trace
        return render_template("errors/404.html"), 404

    @app.errorhandler(DatabaseBusy)
    def database_busy(error):
        # No connection to read who is signed in: the page is drawn for nobody in particular
        # (Flask-Login keeps the request's user in g._login_user; a lookup would wait again).
        g._login_user = login_manager.anonymous_user()
        return render_template("errors/busy.html"), 503, {"Retry-After": str(error.retry_after)}

    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        message = _("This form has expired. Please go back, reload the page and send it again.")
        return render_template("errors/message.html", message=message), 400

    @app.errorhandler(EntryIdTaken)
    def entry_id_taken(error):
        # Nothing of the entry that holds the id: not its kind's words, its id, nor its status.
        audit.record("refuse_entry_id", kind=error.kind)
        message = _("This entry's number is already in use. Please fill in the form again and send it.")
        return render_template("errors/message.html", message=message), 409
