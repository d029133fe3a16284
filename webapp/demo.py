"""`flask --app wsgi demo`: the demo county, loaded into an empty database and served."""
import click
from flask.cli import with_appcontext

from .migrate import upgrade


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def demo_command(host, port):
    """Upgrade the database, load the demo county if it is empty, and serve it."""
    upgrade()
