"""Entry point for `flask --app wsgi ...` and gunicorn (`gunicorn wsgi:app`)."""
import gc
import os
import sys

from webapp import create_app
from webapp.config import Config, DemoConfig


def _config():
    """Production config, unless this is the demo or a debug run without a SECRET_KEY."""
    if os.environ.get("SECRET_KEY"):
        return Config
    running_demo = os.path.basename(sys.argv[0]) == "flask" and "demo" in sys.argv[1:]
    if running_demo or os.environ.get("FLASK_DEBUG") == "1":
        return DemoConfig
    return Config  # create_app refuses to start and says SECRET_KEY is missing


app = create_app(_config())

# What the app holds for its whole life (models, templates, locale data: about 270,000 objects)
# is set aside from garbage collection: a full collection would otherwise walk all of it
# (≈60 ms on this machine) in the middle of whichever request set it off.
gc.freeze()
