from django.db import migrations

# The audit trail has a retention period of its own (issue 14, point 10; reference
# security-requirements.md section 6): security events (sign-ins, failed sign-ins,
# sign-outs, time-outs, lock-outs, refusals) are kept 12 months (MoJ security
# guidance: at least 6 months, by default no more than 2 years [S18]); every other
# event, the DPA 2018 s.62 log of personal data, at least 6 years (MoPI's minimum
# [S19]). The retention job (privacy app) deletes events past their period.
#
# The row trigger still refuses every UPDATE, and refuses a DELETE of any event
# younger than those floors, whoever connects: a configuration, a bug or a mistaken
# SQL session can keep events longer, never shorter.
PROTECT_SQL = """
CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
DECLARE
    kept interval := interval '6 years';
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.action IN ('sign_in', 'sign_in_failed', 'sign_out', 'locked_out',
                          'session_timed_out', 'refused', 'refusals_throttled') THEN
            kept := interval '12 months';
        END IF;
        IF OLD.occurred_at < now() - kept THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit events cannot be changed or deleted (%)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

ORIGINAL_SQL = """
CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be changed or deleted (%)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_refuse_truncate")]

    operations = [migrations.RunSQL(PROTECT_SQL, ORIGINAL_SQL)]
