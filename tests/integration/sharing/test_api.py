"""REST API for agreements and imports (issue 16): upload a file, follow its
progress, read its problems; the same policies as the pages."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role
from svduty.sharing.models import BatchStatus, ImportBatch
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.factories.sharing import POLICE_STREET_HEADER, AgreementFactory, street_row

from .conftest import STREET_2022_01, STREET_2022_01_ROWS


def _items(response) -> list:
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def _upload(client, slug, name, content, kind="police_street"):
    return client.post(
        reverse("api-imports-list"),
        {
            "partnership": slug,
            "kind": kind,
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        },
    )


def test_upload_follow_progress_and_list(
    client_for, analyst, partnership, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(analyst)
    response = _upload(
        client,
        partnership.slug,
        "2022-01-cleveland-street.csv",
        STREET_2022_01.read_bytes(),
    )
    assert response.status_code == 201, response.content
    batch = ImportBatch.objects.get()
    assert response.json()["id"] == batch.pk
    detail = client.get(reverse("api-imports-detail", args=[batch.pk])).json()
    assert detail["status"] == BatchStatus.SUCCEEDED
    assert detail["finished"] is True
    assert detail["rows_imported"] == STREET_2022_01_ROWS
    assert detail["progress"] == f"{STREET_2022_01_ROWS:,} rows checked."
    listed = _items(client.get(reverse("api-imports-list")))
    assert [b["id"] for b in listed] == [batch.pk]


def test_problems_by_row_and_column_and_audited(
    client_for, analyst, partnership, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(analyst)
    content = "\r\n".join(
        [POLICE_STREET_HEADER, street_row(), street_row(lat="91")]
    ).encode()
    response = _upload(client, partnership.slug, "bad.csv", content)
    assert response.status_code == 201
    batch = ImportBatch.objects.get()
    detail = client.get(reverse("api-imports-detail", args=[batch.pk])).json()
    assert detail["status"] == BatchStatus.FAILED
    assert detail["problems_count"] >= 1
    problems = client.get(reverse("api-imports-problems", args=[batch.pk])).json()
    assert problems and problems[0]["row"] == 3
    assert problems[0]["how_to_fix"].startswith("Correct the")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_upload_refused_with_the_pages_messages(
    client_for, analyst, partnership, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(analyst)
    # Another partnership's slug: as if it did not exist.
    other = PartnershipFactory(slug="elsewhere")
    response = _upload(client, other.slug, "a.csv", STREET_2022_01.read_bytes())
    assert response.status_code == 400
    assert "partnership" in str(response.json())
    # A crime extract needs an agreement.
    response = _upload(
        client, partnership.slug, "x.csv", b"a,b\n1,2\n", kind="police_crime_extract"
    )
    assert response.status_code == 400
    assert ImportBatch.objects.count() == 0


def test_out_of_scope_is_404_and_roles_are_checked(
    client_for, analyst, make_user, partnership, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _upload(
        client_for(analyst),
        partnership.slug,
        "2022-01-cleveland-street.csv",
        STREET_2022_01.read_bytes(),
    )
    batch = ImportBatch.objects.get()
    stranger_agency = AgencyFactory(name="Elsewhere council")
    MemberFactory(partnership=PartnershipFactory(slug="far"), agency=stranger_agency)
    stranger = make_user(Role.ANALYST, agency=stranger_agency)
    client = client_for(stranger)
    assert client.get(reverse("api-imports-detail", args=[batch.pk])).status_code == 404
    assert (
        client.get(reverse("api-imports-problems", args=[batch.pk])).status_code == 404
    )
    assert _items(client.get(reverse("api-imports-list"))) == []
    practitioner = make_user(Role.PRACTITIONER)
    assert client_for(practitioner).get(reverse("api-imports-list")).status_code == 403


def test_agreements_register(client_for, analyst, partnership, police, make_user):
    agreement = AgreementFactory(
        partnership=partnership, parties=[police], created_by=analyst
    )
    client = client_for(analyst)
    listed = _items(client.get(reverse("api-sharing-agreements-list")))
    assert [a["id"] for a in listed] == [agreement.pk]
    detail = client.get(
        reverse("api-sharing-agreements-detail", args=[agreement.pk])
    ).json()
    assert detail["partnership"] == partnership.slug
    assert police.name in detail["parties"]
    assert detail["status"]
    stranger_agency = AgencyFactory(name="Other council")
    MemberFactory(partnership=PartnershipFactory(slug="other"), agency=stranger_agency)
    stranger = make_user(Role.ANALYST, agency=stranger_agency)
    response = client_for(stranger).get(
        reverse("api-sharing-agreements-detail", args=[agreement.pk])
    )
    assert response.status_code == 404
