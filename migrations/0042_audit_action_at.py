"""The audit log read by action and time (audit_event (action, at)). The county's audit page
searches one action, newest first, a page of 100: with the index it reads those 100 rows of the
action in order, where the time index walked every event of every action back to the hundredth
match, or the action index sorted all of that action's events. The county home's list of
accounts seen probing asks for one action's recent events too: its action is written into the
SQL (PostgreSQL's generic plan for "some action" walked the time index through the week).

Frozen copy: plain SQL, no app models.
"""
INDEX = 'CREATE INDEX IF NOT EXISTS "audit_event_action_at" ON "audit_event" ("action", "at")'


def up(migrator, db):
    db.execute_sql(INDEX)


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "audit_event_action_at"')
