"""Inspections (督导) with 整改, and attachments (issue 19).

- inspection: a county or zone user's inspection of a school on a day, with a summary;
- inspection_check: its checklist, one line per requirement (computed state, verdict, note);
- rectification: a 整改 item (finding, owner at the school, deadline, reported, accepted or sent back);
- attachment: a file of a record (owner_kind, owner_id), its type from its bytes, size, digest;
- attachment_blob: the file's bytes, when kept in the database;
- notification.rectification_id: the owner's in-app message links to the item.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import (
    BlobField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)


def frozen_models(database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    class School(Base):
        pass

    class User(Base):
        pass

    class Inspection(Base):
        school = ForeignKeyField(School, backref="+", on_delete="CASCADE")
        inspector = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        day = DateField()
        summary = TextField(default="")
        created_at = DateTimeField()

        class Meta:
            indexes = ((("school", "day"), False),)

    class InspectionCheck(Base):
        inspection = ForeignKeyField(Inspection, backref="+", on_delete="CASCADE")
        requirement = CharField(max_length=24)
        computed = CharField(max_length=10, default="")
        verdict = CharField(max_length=12, default="not_checked")
        note = CharField(max_length=200, default="")
        position = SmallIntegerField(default=0)

    class Rectification(Base):
        inspection = ForeignKeyField(Inspection, backref="+", on_delete="CASCADE")
        school = ForeignKeyField(School, backref="+", on_delete="CASCADE")
        finding = TextField()
        owner = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        due_on = DateField()
        status = CharField(max_length=10, default="open")
        report_note = TextField(default="")
        reported_at = DateTimeField(null=True)
        reported_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        decided_at = DateTimeField(null=True)
        decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        return_note = TextField(default="")
        returned_count = SmallIntegerField(default=0)
        created_at = DateTimeField()

        class Meta:
            indexes = ((("school", "status", "due_on"), False), (("owner", "status"), False))

    class Attachment(Base):
        owner_kind = CharField(max_length=16)
        owner_id = IntegerField()
        mime = CharField(max_length=40)
        size = IntegerField()
        sha256 = CharField(max_length=64)
        stored_in = CharField(max_length=4, default="db")
        path = CharField(max_length=120, default="")
        uploaded_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        uploaded_at = DateTimeField()

        class Meta:
            indexes = ((("owner_kind", "owner_id"), False),)

    class AttachmentBlob(Base):
        attachment = ForeignKeyField(Attachment, unique=True, backref="+", on_delete="CASCADE")
        data = BlobField()

    new = [Inspection, InspectionCheck, Rectification, Attachment, AttachmentBlob]
    for model in new + [School, User]:
        model._meta.set_database(database)
    return new


def up(migrator, db):
    db.create_tables(frozen_models(db))
    migrator.migrate(migrator.add_column("notification", "rectification_id", IntegerField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("notification", "rectification_id"))
    db.drop_tables(list(reversed(frozen_models(db))))
