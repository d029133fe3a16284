"""Schema changes: numbered files in migrations/, applied by peewee's own runner."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from playhouse.migrations import Runner

from .db import db

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def upgrade():
    """Apply every pending migration; returns the names applied."""
    return Runner(db.obj, directory=str(MIGRATIONS_DIR)).up()


@click.command("migrate")
@with_appcontext
def migrate_command():
    """Bring the database schema up to date."""
    applied = upgrade()
    current_app.logger.info("migrations applied: %s", applied)
    click.echo("applied: " + (", ".join(applied) if applied else "nothing, already up to date"))
