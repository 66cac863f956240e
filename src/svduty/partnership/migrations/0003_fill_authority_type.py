"""Fill the new authority type of existing members from their agency's type."""

from django.db import migrations

AGENCY_TO_AUTHORITY = {
    "police": "police",
    "fire": "fire",
    "icb": "icb",
    "local_authority": "local_authority",
    "youth_justice": "youth_offending_team",
    "probation": "probation",
    "education": "educational",
    "prison": "prison",
    "youth_custody": "youth_custody",
    "local_policing_body": "local_policing_body",
}


def fill(apps, schema_editor):
    Member = apps.get_model("partnership", "PartnershipMember")
    for member in Member.objects.filter(authority_type="").select_related("agency"):
        member.authority_type = AGENCY_TO_AUTHORITY.get(
            member.agency.agency_type, "other"
        )
        member.save(update_fields=["authority_type"])


class Migration(migrations.Migration):
    dependencies = [("partnership", "0002_lead_arrangement_definitions_meetings")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
