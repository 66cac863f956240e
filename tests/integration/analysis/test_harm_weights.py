"""Harm weights as data (issue 9, item 6): imported per partnership as numbered
versions, all or nothing with row and column errors, with whose they are, their source
and date shown wherever harm is shown; the illustrative default stays labelled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from svduty.analysis import actions
from svduty.analysis.models import HarmWeightTable
from svduty.analysis.service import sna_for
from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.analysis import grid_tables, make_snapshot
from tests.factories.partnership import MemberFactory, PartnershipFactory

VSO = "Violence and sexual offences"
GOOD = b"crime_type,weight\nViolence and sexual offences,100\nrobbery,365.5\n"


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Weightham Council")


@pytest.fixture
def partnership(agency):
    partnership = PartnershipFactory(slug="weightham", name="Safer Weightham")
    MemberFactory(partnership=partnership, agency=agency)
    street = [("2022-01", "E01000001", VSO)] * 3 + [
        ("2022-01", "E01000002", "Robbery")
    ] * 2
    make_snapshot(partnership, grid_tables(street=street))
    return partnership


@pytest.fixture
def analyst(make_user, agency):
    return make_user(Role.ANALYST, agency=agency)


def _import(analyst, partnership, content=GOOD, **overrides):
    values = {
        "name": "Severity weights",
        "owner": "Weightham Police analysts",
        "source": "Force analysis of sentencing starting points, 2024",
        "effective_on": dt.date(2024, 4, 1),
        **overrides,
    }
    return actions.import_harm_weights(
        by=analyst, partnership=partnership, content=content, **values
    )


def _harm(partnership):
    return sna_for(
        partnership, period_from=dt.date(2022, 1, 1), period_to=dt.date(2022, 1, 1)
    )["harm"]


def test_the_default_is_illustrative_until_weights_are_imported(partnership, analyst):
    harm = _harm(partnership)
    assert harm["weights"]["illustrative"] is True
    table = _import(analyst, partnership)
    assert (table.number, table.version) == (1, "1")
    assert table.weights == {"Violence and sexual offences": 100.0, "Robbery": 365.5}
    event = AuditEvent.objects.get(target_type="analysis.harmweighttable")
    assert event.action == AuditAction.IMPORT
    harm = _harm(partnership)
    assert harm["weights"]["illustrative"] is False
    assert harm["weights"]["version"] == "1"
    assert "Supplied by Weightham Police analysts" in harm["weights"]["source"]
    assert "Dated 1 April 2024" in harm["weights"]["source"]
    # Weighted figures beside the counts: 3 x 100 + 2 x 365.5.
    assert harm["serious_violence_total"] == pytest.approx(3 * 100 + 2 * 365.5)
    rows = {r["category"]: r for r in harm["by_category"]}
    assert (rows["Robbery"]["count"], rows["Robbery"]["weight"]) == (2, 365.5)


def test_a_new_import_is_a_new_version_and_the_old_is_kept(partnership, analyst):
    _import(analyst, partnership)
    second = _import(
        analyst, partnership, content=b"crime_type,weight\nRobbery,10\n", name="B"
    )
    assert second.number == 2
    assert HarmWeightTable.objects.filter(partnership=partnership).count() == 2
    assert _harm(partnership)["weights"]["version"] == "2"


def test_a_file_with_any_problem_is_refused_whole_with_rows_and_columns(
    partnership, analyst
):
    bad = (
        b"crime_type,weight\n"
        b"Robbery,12\n"
        b"Knife crime,5\n"
        b"Burglary,-1\n"
        b"Robbery,3\n"
        b"Drugs,lots\n"
    )
    with pytest.raises(ValidationError) as error:
        _import(analyst, partnership, content=bad)
    problems = error.value.message_dict["file"]
    assert problems == [
        "Row 3, column crime_type: ‘Knife crime’ is not one of the 14 data.police.uk "
        "crime types",
        "Row 4, column weight: enter a number from 0 to 1,000,000,000 (not ‘-1’)",
        "Row 5, column crime_type: Robbery is in the file twice",
        "Row 6, column weight: enter a number from 0 to 1,000,000,000 (not ‘lots’)",
    ]
    assert not HarmWeightTable.objects.exists()
    with pytest.raises(ValidationError, match="exactly the columns"):
        _import(analyst, partnership, content=b"type,weight,name\nRobbery,1,x\n")
    with pytest.raises(ValidationError) as error:
        _import(analyst, partnership, owner=" ", source="")
    assert set(error.value.message_dict) == {"owner", "source"}
    assert not HarmWeightTable.objects.exists()


def test_pages_show_whose_weights_and_refuse_bad_files(
    client_for, partnership, analyst, make_user, agency
):
    client = client_for(analyst)
    page = client.get("/analysis/weightham/harm-weights/").content.decode()
    assert "Illustrative" in page and "ships no published weights" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {
        "name": "Severity weights",
        "owner": "Weightham Police analysts",
        "source": "Force analysis",
        "effective_on-day": "1",
        "effective_on-month": "4",
        "effective_on-year": "2024",
    }
    response = client.post(
        "/analysis/weightham/harm-weights/import/",
        {**form, "file": SimpleUploadedFile("w.csv", b"crime_type,weight\nX,1\n")},
    )
    assert response.status_code == 200
    assert "Row 2, column crime_type" in response.content.decode()
    response = client.post(
        "/analysis/weightham/harm-weights/import/",
        {**form, "file": SimpleUploadedFile("w.csv", GOOD)},
    )
    assert response.status_code == 302
    page = client.get("/analysis/weightham/harm-weights/").content.decode()
    assert "Weightham Police analysts" in page and "In use" in page
    lead = make_user(Role.PARTNERSHIP_LEAD, agency=agency)
    response = client_for(lead).get("/analysis/weightham/harm-weights/import/")
    assert response.status_code in (403, 404)
