"""The data model: the county (people and places) and the safeguarding records."""
from . import county, safeguarding
from .county import *  # noqa: F403
from .safeguarding import *  # noqa: F403

MODELS = county.MODELS + safeguarding.MODELS
