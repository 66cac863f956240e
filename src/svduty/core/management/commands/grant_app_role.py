"""`svduty grant_app_role ROLE`: give the application's database role what it needs to
serve, and nothing more (run as the owner role, after `svduty migrate`).

The owner migrates; the application connects as another role that may read and write
rows but owns no table. Such a role cannot TRUNCATE the audit trail, drop or disable
its triggers, or change its rows (the triggers refuse UPDATE and DELETE whoever asks).
Default privileges cover tables that later migrations create, so the command needs to
run once; running it again changes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

GRANTS = [
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
    "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
    "GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
]


class Command(BaseCommand):
    help = (
        "Grant an application database role row access to every table (no ownership)."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the PostgreSQL role the application uses")

    def handle(self, *args, role: str, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(
                    f"There is no database role called {role!r}: create it first "
                    f"(CREATE ROLE {role} LOGIN PASSWORD '…')."
                )
            quoted = connection.ops.quote_name(role)
            for statement in GRANTS:
                cursor.execute(statement.format(role=quoted))
        self.stdout.write(f"Granted {role} row access to every table.")
