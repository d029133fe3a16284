"""The data model: the county (people and places) and the safeguarding records."""
from . import (
    accounts,
    attachments,
    county,
    incidents,
    inspections,
    peer,
    programme,
    safeguarding,
    screening,
    tallies,
    village,
    visits,
)
from .accounts import *  # noqa: F403
from .attachments import *  # noqa: F403
from .county import *  # noqa: F403
from .incidents import *  # noqa: F403
from .inspections import *  # noqa: F403
from .peer import *  # noqa: F403
from .programme import *  # noqa: F403
from .safeguarding import *  # noqa: F403
from .screening import *  # noqa: F403
from .tallies import *  # noqa: F403
from .village import *  # noqa: F403
from .visits import *  # noqa: F403

MODELS = (county.MODELS + accounts.MODELS + safeguarding.MODELS + visits.MODELS + peer.MODELS + village.MODELS
          + tallies.MODELS + incidents.MODELS + screening.MODELS
          + programme.MODELS + inspections.MODELS + attachments.MODELS)
