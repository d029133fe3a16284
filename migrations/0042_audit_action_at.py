"""The audit log read by action and time (audit_event (action, at)). The county's home page asks
on every reading for the accounts seen probing in the last days; PostgreSQL runs that statement
prepared, and its generic plan walked the `at` index back through every event of those days,
dropping all but the probing ones (1 ms at the benchmark's few thousand events, and growing with
the log). With the pair indexed, both databases go straight to the action's recent events.

Frozen copy: plain SQL, no app models.
"""
INDEX = 'CREATE INDEX IF NOT EXISTS "audit_event_action_at" ON "audit_event" ("action", "at")'


def up(migrator, db):
    db.execute_sql(INDEX)


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "audit_event_action_at"')
