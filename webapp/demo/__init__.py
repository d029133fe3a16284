"""`flask --app wsgi demo`: the demo county, loaded into an empty database and served."""
import unicodedata

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from ..db import db
from ..migrate import upgrade
from ..safeguarding import timed_work
from .county import DEMO_TOTP_SECRET, demo_accounts, load_demo_county


def _width(text):
    """Columns a string takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text, width):
    return text + " " * max(width - _width(text), 0)


def accounts_table():
    """The demo accounts as lines of text: username, role, scope, password or PIN."""
    rows = [("username", "role", "scope", "password / PIN")]
    rows += [(username, role, where, secret) for username, role, _name, where, secret in demo_accounts()]
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    return [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]
        for row in rows
    ]


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, hidden=True, help="Load and print, but do not serve (tests).")
@with_appcontext
def demo_command(host, port, no_serve):
    """Upgrade the database, load the demo county if it is empty, and serve it."""
    upgrade()
    summary = load_demo_county()
    if summary["loaded"]:
        click.echo(
            "Loaded the demo county: {schools} schools, {classes} classes, {villages} villages, "
            "{children} children, {users} accounts.".format(**summary)
        )
    else:
        click.echo("The database already holds a county; the demo county was not loaded again.")
    click.echo("")
    for line in accounts_table():
        click.echo("  " + line)
    click.echo("")
    click.echo(f"  county, zone, counselor and principal accounts sign in in two steps: add the TOTP "
               f"secret {DEMO_TOTP_SECRET} to an authenticator app (or run: python3 -c "
               f"\"from webapp.auth.twofactor import TOTP; print(TOTP('{DEMO_TOTP_SECRET}').now())\").")
    click.echo("")
    if no_serve:
        return
    if not db.is_closed():
        db.close()  # the server's threads open their own connections
    app = current_app._get_current_object()
    # The timed work runs here, in the serving process (no cron for the demo): an urgent concern
    # nobody acknowledges goes to the zone and the county after 30 minutes, as in production.
    timed_work.start(app, use_reloader=False)
    click.echo(f"Serving the demo county at http://{host}:{port}/  (Ctrl+C stops it)")
    click.echo("  Timed work (escalation after 30 minutes, reminders, alerts) runs every minute in this process.")
    run_simple(host, port, app, threaded=True, use_reloader=False)
