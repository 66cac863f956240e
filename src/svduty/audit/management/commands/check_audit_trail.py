"""`svduty check_audit_trail`: prove, with the connection the application uses, that
the audit trail cannot be changed or emptied.

Run it with the application's DATABASE_URL after deploying: it tries to UPDATE,
DELETE, TRUNCATE and to disable or drop the trail's trigger, each inside a transaction
that is rolled back whatever happens, and fails (exit 1) naming every attempt that was
not refused. CI runs it as a non-owner application role (.ci/run).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from svduty.audit.log import record
from svduty.audit.models import AuditAction

ATTEMPTS = {
    "change an event (UPDATE)": "UPDATE audit_auditevent SET target_label = 'x'",
    "delete events (DELETE)": "DELETE FROM audit_auditevent",
    "empty the trail (TRUNCATE)": "TRUNCATE audit_auditevent",
    "disable its trigger": (
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only"
    ),
    "drop its trigger": "DROP TRIGGER audit_event_append_only ON audit_auditevent",
}


class _RollBack(Exception):
    """Raised to undo an attempt that the database allowed."""


def attempt_succeeds(sql: str) -> bool:
    """Try `sql` against a trail holding one probe event; undo everything after."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Row triggers fire only on rows: make sure there is one to protect.
            record(AuditAction.VIEW, target_type="audit", target_label="trail check")
            # The test database allows TRUNCATE for Django's flush; not here.
            cursor.execute("SET LOCAL svduty.audit_truncate_allowed = off")
            cursor.execute(sql)
            raise _RollBack
    except _RollBack:
        return True
    except DatabaseError:
        return False


class Command(BaseCommand):
    help = "Check that this database connection cannot change or empty the audit trail."

    def handle(self, *args, **options):
        allowed = [name for name, sql in ATTEMPTS.items() if attempt_succeeds(sql)]
        if allowed:
            raise CommandError(
                "This connection can " + "; ".join(allowed) + ". Connect the "
                "application as a role that does not own the tables "
                "(see `svduty grant_app_role`)."
            )
        self.stdout.write("The audit trail is protected: every attempt was refused.")
