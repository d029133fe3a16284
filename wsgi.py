"""Entry point for `flask --app wsgi ...` and gunicorn (`gunicorn wsgi:app`)."""
import gc
import os
import sys

from webapp import create_app
from webapp.config import Config, DemoConfig

NO_KEY = ("SECRET_KEY is not set, so the app cannot start and its commands (migrate, tick, "
          "backup …) are not listed. Set SECRET_KEY (see README: Configuration), or try the "
          "demo county with `flask --app wsgi demo`, which keeps a random key in instance/.")


def _under_flask_cli():
    """True for both spellings: the `flask` script and `python -m flask`."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return os.path.basename(sys.argv[0]) == "flask" or getattr(spec, "name", "") == "flask.__main__"


def _config():
    """Production config, unless this is the demo or a debug run without a SECRET_KEY."""
    if os.environ.get("SECRET_KEY"):
        return Config
    running_demo = _under_flask_cli() and "demo" in sys.argv[1:]
    if running_demo or os.environ.get("FLASK_DEBUG") == "1":
        return DemoConfig
    return Config  # create_app refuses to start and says SECRET_KEY is missing


def _create():
    config = _config()
    if not config.SECRET_KEY and not getattr(config, "DEMO", False) and _under_flask_cli():
        # Flask's command line shows this message above its help (a traceback went unread).
        from flask.cli import NoAppException

        raise NoAppException(NO_KEY)
    return create_app(config)


app = _create()

# What the app holds for its whole life (models, templates, locale data: about 270,000 objects)
# is set aside from garbage collection: a full collection would otherwise walk all of it
# (≈60 ms on this machine) in the middle of whichever request set it off.
gc.freeze()
