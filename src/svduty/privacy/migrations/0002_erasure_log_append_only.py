from django.db import migrations

# The erasure log is the evidence that erasure happened as the schedule says: like the
# audit trail, its entries cannot be changed or deleted, whoever connects.
PROTECT_SQL = """
CREATE OR REPLACE FUNCTION privacy_erasure_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'erasure log entries cannot be changed or deleted (%)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER privacy_erasure_append_only
    BEFORE UPDATE OR DELETE ON privacy_erasurerecord
    FOR EACH ROW EXECUTE FUNCTION privacy_erasure_is_append_only();
"""

UNPROTECT_SQL = """
DROP TRIGGER IF EXISTS privacy_erasure_append_only ON privacy_erasurerecord;
DROP FUNCTION IF EXISTS privacy_erasure_is_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunSQL(PROTECT_SQL, UNPROTECT_SQL)]
