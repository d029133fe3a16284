"""Flask extensions, created here and bound to the app in create_app."""
from flask_babel import Babel
from flask_htmx import HTMX
from flask_login import LoginManager

from .security import OriginCheckedCSRF

babel = Babel()
csrf = OriginCheckedCSRF()
htmx = HTMX()
login_manager = LoginManager()
