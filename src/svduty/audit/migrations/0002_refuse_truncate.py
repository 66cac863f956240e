from django.db import migrations

# The row trigger of 0001 stops UPDATE and DELETE, but TRUNCATE fires no row triggers:
# whoever could truncate the table (its owner, or a role granted TRUNCATE) could empty
# the trail in one statement. A statement-level trigger refuses that too.
#
# The one exception is a database whose administrator has set
# `svduty.audit_truncate_allowed = on` for it (ALTER DATABASE … SET …): the test suite
# does this for its throw-away test database, because Django empties every table with
# TRUNCATE between transactional tests. No production database should ever have it;
# `svduty check --deploy` does not look, so the operations guide says so.
REFUSE_SQL = """
CREATE OR REPLACE FUNCTION audit_event_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('svduty.audit_truncate_allowed', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit trail cannot be truncated'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_truncate();
"""

ALLOW_SQL = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunSQL(REFUSE_SQL, ALLOW_SQL)]
