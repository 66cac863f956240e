"""The SNA through the service and pages with a partnership's own agreed definition
(issue 9, item 5): its kinds are the dashboard's filter, every export names the
version, and an SNA version keeps the definition it used when a new one is agreed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from svduty.analysis import actions
from svduty.analysis.service import sna_for
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.analysis import grid_tables, make_snapshot
from tests.factories.partnership import (
    MemberFactory,
    PartnershipFactory,
    agreed_definition,
)

VSO = "Violence and sexual offences"


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Kindborough Council")


@pytest.fixture
def partnership(agency):
    partnership = PartnershipFactory(slug="kindborough", name="Safer Kindborough")
    MemberFactory(partnership=partnership, agency=agency)
    street = (
        [("2022-01", "E01000001", VSO)] * 4
        + [("2022-01", "E01000002", "Possession of weapons")] * 2
        + [("2022-02", "E01000003", "Robbery")] * 3
        + [("2022-02", "E01000004", "Burglary")] * 5
    )
    make_snapshot(partnership, grid_tables(street=street))
    # Knife crime: VSO + possession of weapons; Robbery: robbery.
    agreed_definition(
        partnership,
        agreed_on=dt.date(2021, 6, 1),
        excluded_codes=["99"],
        exclusions_source="Force crime registrar",
    )
    return partnership


@pytest.fixture
def analyst(make_user, agency):
    return make_user(Role.ANALYST, agency=agency)


def test_the_partnerships_kinds_filter_the_sna(partnership):
    period = {"period_from": dt.date(2022, 1, 1), "period_to": dt.date(2022, 2, 1)}
    result = sna_for(partnership, **period)
    assert result["choices"]["kinds"] == ["Knife crime", "Robbery"]
    assert [(k["kind"], k["count"]) for k in result["serious_violence"]["by_kind"]] == [
        ("Knife crime", 6),
        ("Robbery", 3),
    ]
    assert (
        sna_for(partnership, kind="Robbery", **period)["serious_violence"]["count"] == 3
    )
    stamp = result["definition"]
    assert stamp["number"] == 1 and stamp["excluded_offence_codes"] == ["99"]


def test_dashboard_and_exports_name_the_definition(partnership, analyst, client_for):
    client = client_for(analyst)
    query = "period_from=2022-01&period_to=2022-02"
    page = client.get(f"/analysis/kindborough/?{query}&kind=Knife+crime")
    assert page.status_code == 200
    text = page.content.decode()
    assert '<option value="Knife crime" selected>' in text
    assert "local definition version 1, agreed 1 June 2021" in text
    response = client.get(f"/analysis/kindborough/download/kinds.xlsx?{query}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[-1]
    notes = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert any(
        "Serious violence definition: The partnership's local definition version 1"
        in str(note)
        for note in notes
    ), notes


def test_a_version_keeps_its_definition_when_a_new_one_is_agreed(
    partnership, analyst, client_for
):
    snapshot = partnership.snapshots.get()
    first = partnership.definitions.get()
    version = actions.create_sna_version(
        by=analyst,
        partnership=partnership,
        snapshot=snapshot,
        title="SNA 2022",
        period_from=dt.date(2022, 1, 1),
        period_to=dt.date(2022, 2, 1),
        findings="Knife crime is concentrated in the centre.",
    )
    assert version.definition == first
    actions.sign_off_sna_version(by=analyst, version=version)
    # A second version agreed with a date inside the period now applies to it.
    agreed_definition(partnership, agreed_on=dt.date(2022, 1, 15), number=2)
    version.refresh_from_db()
    assert version.definition == first
    page = client_for(analyst).get(f"/analysis/kindborough/versions/{version.pk}/")
    text = page.content.decode()
    assert "Local definition version 1, agreed 1 June 2021" in text
    assert "local definition version 2, agreed 15 January 2022 now applies" in text
    assert "not the one this assessment used" in text


def test_the_definition_is_read_once_and_matches_its_rules(
    partnership, django_assert_num_queries
):
    from svduty.analysis.service import definition_for
    from svduty.partnership.definitions import definition_in_force, rule_values
    from svduty.partnership.models import RuleSource

    on = dt.date(2022, 2, 1)
    first = definition_for(partnership, on)
    definition = definition_in_force(partnership, on)
    assert first["types"] == tuple(rule_values(definition, RuleSource.POLICE_UK))
    assert first["ho_codes"] == (
        tuple(rule_values(definition, RuleSource.HO_OFFENCE)) or None
    )
    assert first["weapon_flags"] == tuple(rule_values(definition, RuleSource.WEAPON))
    assert first["kinds"] == ["Knife crime", "Robbery"]
    # Once read, only the query for the definition in force remains.
    with django_assert_num_queries(1):
        assert definition_for(partnership, on) == first


def test_a_dashboard_view_reads_the_agreed_definitions_once(
    partnership, analyst, client_for
):
    """The filter's kinds and the SNA's options come from one read of the agreed
    definitions (issue 15: less work per request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(analyst)
    url = "/analysis/kindborough/?period_from=2022-01&period_to=2022-02&kind=Robbery"
    assert client.get(url).status_code == 200  # computed and cached
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    assert '<option value="Robbery" selected>' in page.content.decode()
    reads = [q for q in queries if 'FROM "partnership_localdefinition"' in q["sql"]]
    assert len(reads) == 1, [q["sql"] for q in reads]


def test_a_new_worker_opens_the_newest_snapshots_before_its_first_request(
    partnership, analyst, client_for
):
    """`warm_process` (run by each web worker when it starts) leaves the snapshot's
    database and Gi* weights in the process, so a dashboard view of a filter nobody
    has seen opens nothing more (issue 15)."""
    from svduty.analysis import cache, sna
    from svduty.analysis.dashboard import warm_process

    cache.clear_all()
    assert len(sna._DATABASES) == 0 and len(sna._gi_weights._cache) == 0
    warm_process()
    assert len(sna._DATABASES) == 1
    warmed = len(sna._gi_weights._cache)
    assert warmed >= 1  # the whole area and each local authority in it
    page = client_for(analyst).get(
        "/analysis/kindborough/?period_from=2022-01&period_to=2022-01&kind=Robbery"
    )
    assert page.status_code == 200
    assert len(sna._DATABASES) == 1 and len(sna._gi_weights._cache) == warmed
