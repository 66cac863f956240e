from django.db import migrations

# A person invited by name sees the meeting and its agenda (Meeting.visible_to), so,
# in the database as in the action (meetings.actions.invite), they must be an active
# member of the invited agency whose roles include seeing children's records
# (VIEW_CASES). Roles are code: the list below is the roles that hold VIEW_CASES in
# core.authorisation.ROLE_PERMISSIONS, and a test fails if the two drift apart
# (tests/integration/meetings/test_actions.py). Checked on new invitations and when
# the invitee or the agency changes, so a later change of someone's roles does not
# break the meetings they were invited to.
INVITEE_ROLES = ("practitioner", "team_manager")

INVITEE_SQL = """
CREATE OR REPLACE FUNCTION meetings_invitation_invitee() RETURNS trigger AS $$
BEGIN
    IF NEW.user_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM accounts_user u
        JOIN accounts_membership m ON m.user_id = u.id
        WHERE u.id = NEW.user_id
          AND m.agency_id = NEW.agency_id
          AND u.is_active
          AND u.roles && ARRAY[{roles}]::varchar[]
    ) THEN
        RAISE EXCEPTION 'invitation %: the person invited by name must work for the '
            'invited agency and may see children''s records', NEW.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER meetings_invitation_invitee_insert BEFORE INSERT ON meetings_invitation
    FOR EACH ROW EXECUTE FUNCTION meetings_invitation_invitee();
CREATE TRIGGER meetings_invitation_invitee_update BEFORE UPDATE OF user_id, agency_id
    ON meetings_invitation
    FOR EACH ROW EXECUTE FUNCTION meetings_invitation_invitee();
""".replace("{roles}", ", ".join(f"'{role}'" for role in INVITEE_ROLES))

INVITEE_REVERSE = """
DROP TRIGGER IF EXISTS meetings_invitation_invitee_update ON meetings_invitation;
DROP TRIGGER IF EXISTS meetings_invitation_invitee_insert ON meetings_invitation;
DROP FUNCTION IF EXISTS meetings_invitation_invitee();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_used_totp_code"),
        ("meetings", "0002_places_and_peer_groups"),
    ]

    operations = [migrations.RunSQL(INVITEE_SQL, INVITEE_REVERSE)]
