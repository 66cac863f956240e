from django.db import migrations, models

# The trail is append-only at the database level: whoever connects, however, an UPDATE or
# DELETE of an audit row raises an error. (TRUNCATE needs the table owner's privilege;
# production runs the application as a role that does not own the table — see README.)
PROTECT_SQL = """
CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be changed or deleted (%)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
"""

UNPROTECT_SQL = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_is_append_only();
"""


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("occurred_at", models.DateTimeField(db_index=True)),
                (
                    "actor_id",
                    models.BigIntegerField(blank=True, db_index=True, null=True),
                ),
                ("actor_label", models.CharField(blank=True, max_length=300)),
                ("agency_label", models.CharField(blank=True, max_length=300)),
                ("action", models.CharField(db_index=True, max_length=40)),
                ("target_type", models.CharField(blank=True, max_length=100)),
                ("target_id", models.CharField(blank=True, max_length=100)),
                ("target_label", models.CharField(blank=True, max_length=500)),
                ("request_id", models.CharField(blank=True, max_length=64)),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                ("detail", models.JSONField(blank=True, default=dict)),
            ],
            options={
                "ordering": ["-occurred_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["target_type", "target_id"],
                        name="audit_audit_target__idx",
                    ),
                    models.Index(
                        fields=["actor_label"], name="audit_audit_actor_l_idx"
                    ),
                ],
            },
        ),
        migrations.RunSQL(PROTECT_SQL, UNPROTECT_SQL),
    ]
