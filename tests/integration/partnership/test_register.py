"""The relevant authorities register (issue 9, build 1): add, change, import from a
CSV (all rows or none), the blocking warning for an area with no educational
authority, the database's own checks, and the pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.partnership import actions_register as actions
from svduty.partnership.models import Establishment, RelevantAuthority
from svduty.partnership.registers import register_gaps
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import (
    LocalAreaFactory,
    PartnershipFactory,
    RelevantAuthorityFactory,
)


@pytest.fixture
def council(db):
    return AgencyFactory(name="Hartlepool Borough Council")


@pytest.fixture
def hartlepool(db):
    return LocalAreaFactory(ons_code="E06000001", name="Hartlepool")


@pytest.fixture
def partnership(council, hartlepool):
    from tests.factories.partnership import MemberFactory

    partnership = PartnershipFactory(slug="hartlepool", areas=[hartlepool])
    MemberFactory(partnership=partnership, agency=council)
    return partnership


@pytest.fixture
def lead(make_user, council):
    return make_user(Role.PARTNERSHIP_LEAD, agency=council)


CSV = (
    b"name,type,identifier,area\n"
    b"St Hild's School,academy,111753,E06000001\n"
    b"Hartlepool Sixth Form,college,130545,Hartlepool\n"
    b"HMP Example,prison,EXI,hartlepool\n"
)


def test_an_empty_register_blocks_with_the_message(partnership, hartlepool):
    assert register_gaps(partnership.areas.all()) == [
        "No educational authority is registered for Hartlepool: the duty to "
        "consult cannot be shown"
    ]
    # A prison alone does not fill the gap; one school does.
    RelevantAuthorityFactory(
        area=hartlepool, name="HMP X", establishment=Establishment.PRISON
    )
    assert register_gaps(partnership.areas.all())
    RelevantAuthorityFactory(area=hartlepool, name="A school")
    assert register_gaps(partnership.areas.all()) == []


def test_import_adds_every_row_and_derives_the_authority_type(lead, partnership):
    before = AuditEvent.objects.count()
    result = actions.import_relevant_authorities(
        by=lead, partnership=partnership, content=CSV, file_name="register.csv"
    )
    assert (result.added, result.unchanged) == (3, 0)
    types = dict(RelevantAuthority.objects.values_list("name", "authority_type"))
    assert types == {
        "St Hild's School": "educational",
        "Hartlepool Sixth Form": "educational",
        "HMP Example": "prison",
    }
    assert AuditEvent.objects.count() == before + 1
    # The same file again changes nothing.
    again = actions.import_relevant_authorities(
        by=lead, partnership=partnership, content=CSV, file_name="register.csv"
    )
    assert (again.added, again.unchanged) == (0, 3)


def test_a_file_with_a_bad_row_adds_nothing_and_names_the_row(lead, partnership):
    bad = CSV + b"Somewhere Else School,school,1,E06000002\nX,castle,,Hartlepool\n"
    with pytest.raises(ValidationError) as error:
        actions.import_relevant_authorities(
            by=lead, partnership=partnership, content=bad, file_name="bad.csv"
        )
    messages = error.value.message_dict["file"]
    assert any(m.startswith("Row 5: area") for m in messages)
    assert any(m.startswith("Row 6: type") for m in messages)
    assert not RelevantAuthority.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"name,type\nA,school\n", "must have the columns"),
        (b"name,type,identifier,area\n", "no authorities"),
        ("name,type,identifier,area\n\xe9".encode("latin-1"), "UTF-8"),
    ],
)
def test_malformed_files_are_refused(lead, partnership, content, message):
    with pytest.raises(ValidationError, match=message):
        actions.import_relevant_authorities(
            by=lead, partnership=partnership, content=content, file_name="x.csv"
        )


def test_only_a_lead_of_the_partnership_changes_its_register(
    make_user, partnership, hartlepool
):
    outsider = make_user(Role.PARTNERSHIP_LEAD, agency=AgencyFactory())
    with pytest.raises(PermissionDenied):
        actions.add_relevant_authority(
            by=outsider,
            partnership=partnership,
            area=hartlepool,
            establishment=Establishment.SCHOOL,
            name="A school",
        )


def test_add_refuses_an_area_outside_the_partnership_and_duplicates(
    lead, partnership, hartlepool
):
    with pytest.raises(ValidationError) as error:
        actions.add_relevant_authority(
            by=lead,
            partnership=partnership,
            area=LocalAreaFactory(),
            establishment=Establishment.SCHOOL,
            name="A school",
        )
    assert "area" in error.value.message_dict
    actions.add_relevant_authority(
        by=lead,
        partnership=partnership,
        area=hartlepool,
        establishment=Establishment.SCHOOL,
        name="A school",
        identifier="100001",
    )
    with pytest.raises(ValidationError) as error:
        actions.add_relevant_authority(
            by=lead,
            partnership=partnership,
            area=hartlepool,
            establishment=Establishment.SCHOOL,
            name="Another school",
            identifier="100001",
        )
    assert "identifier" in error.value.message_dict


def test_the_database_refuses_a_type_that_does_not_match_the_establishment(
    hartlepool,
):
    entry = RelevantAuthorityFactory(area=hartlepool)
    with pytest.raises(IntegrityError), transaction.atomic():
        RelevantAuthority.objects.filter(pk=entry.pk).update(authority_type="prison")


def test_register_pages(client_for, lead, partnership, hartlepool):
    client = client_for(lead)
    url = reverse("partnership:register", args=[partnership.slug])
    page = client.get(url).content.decode()
    assert "No educational authority is registered for Hartlepool" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("partnership:register_import", args=[partnership.slug]),
        {"file": SimpleUploadedFile("r.csv", CSV, content_type="text/csv")},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "St Hild&#x27;s School" in page
    assert "No educational authority is registered" not in page
    entry = RelevantAuthority.objects.get(name="HMP Example")
    response = client.post(
        reverse("partnership:register_edit", args=[partnership.slug, entry.pk]),
        {
            "establishment": "prison",
            "name": "HMP Example",
            "identifier": "EXI",
            "agency": "",
            "closed_on_day": "1",
            "closed_on_month": "1",
            "closed_on_year": "2024",
            "version": entry.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert str(entry.closed_on) == "2024-01-01"
    # A bad upload shows the errors, not a 500.
    response = client.post(
        reverse("partnership:register_import", args=[partnership.slug]),
        {"file": SimpleUploadedFile("r.csv", b"\x00\x01", content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "Error:" in response.content.decode()
