"""Critical incidents (危机事件) and postvention (issue 16, 《实施方案》四、12).

- incident: what happened, where (a school, or a village for a child worker), when, who opened
  it, its status and closing review; incident_child: the children directly involved;
- incident_step: the emergency plan's steps copied into the incident, each ticked once (who, when);
- follow_up: an affected pupil, her level (密切 / 一般) and her follow-up task (owner, due, done);
- plan_step: the county's default plan (school null), and later a school's own filed plan;
- incident_rule: the follow-up deadlines the county may change;
- notification.incident_id: the in-app message of an incident links to it.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model, SmallIntegerField, TextField


def frozen_models(database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    # Existing tables, referenced by foreign keys only.
    class School(Base):
        pass

    class Village(Base):
        pass

    class Child(Base):
        pass

    class User(Base):
        pass

    class Incident(Base):
        kind = CharField(max_length=16)
        school = ForeignKeyField(School, null=True, backref="+", on_delete="RESTRICT")
        village = ForeignKeyField(Village, null=True, backref="+", on_delete="RESTRICT")
        happened_at = DateTimeField()
        description = TextField()
        opened_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        made_at = DateTimeField()
        received_at = DateTimeField(index=True)
        client_uuid = CharField(max_length=36, unique=True)
        status = CharField(max_length=8, default="open", index=True)
        plan_source = CharField(max_length=8, default="county")
        closed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        closed_at = DateTimeField(null=True)
        review_what = TextField(default="")
        review_learned = TextField(default="")

    class IncidentChild(Base):
        incident = ForeignKeyField(Incident, backref="+", on_delete="CASCADE")
        child = ForeignKeyField(Child, backref="+", on_delete="CASCADE")

        class Meta:
            indexes = ((("incident", "child"), True),)

    class IncidentStep(Base):
        incident = ForeignKeyField(Incident, backref="+", on_delete="CASCADE")
        position = SmallIntegerField()
        text = CharField(max_length=200)
        done_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        done_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("incident", "position"), True),)

    class FollowUp(Base):
        incident = ForeignKeyField(Incident, backref="+", on_delete="CASCADE")
        child = ForeignKeyField(Child, backref="+", on_delete="CASCADE")
        level = CharField(max_length=8)
        owner = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        added_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        added_at = DateTimeField()
        due_at = DateTimeField(index=True)
        done_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        done_at = DateTimeField(null=True)
        note = TextField(default="")
        concern_id = IntegerField(null=True)

        class Meta:
            indexes = ((("incident", "child"), True), (("owner", "done_at"), False))

    class PlanStep(Base):
        school = ForeignKeyField(School, null=True, backref="+", on_delete="CASCADE")
        position = SmallIntegerField()
        text = CharField(max_length=200)

    class IncidentRule(Base):
        name = CharField(max_length=24, primary_key=True)
        value = IntegerField()

    new = [Incident, IncidentChild, IncidentStep, FollowUp, PlanStep, IncidentRule]
    for model in new + [School, Village, Child, User]:
        model._meta.set_database(database)
    return new


def up(migrator, db):
    db.create_tables(frozen_models(db))
    migrator.migrate(migrator.add_column("notification", "incident_id", IntegerField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("notification", "incident_id"))
    db.drop_tables(list(reversed(frozen_models(db))))
