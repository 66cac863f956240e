"""The places pages: children shown only to those who may read them (and counted for
the rest), one audit event per page, queries that do not grow with the children, the
before/after page on a real snapshot, exports with small numbers suppressed, and the
child's record showing a peer group only to those who may see every member."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.cases import actions as case_actions
from svduty.places import actions
from tests.factories.analysis import make_snapshot
from tests.factories.cases import person_on_team
from tests.factories.places import MIDDLESBROUGH, make_group, make_place

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 2, 2)


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"


def link(by, place, child):
    return actions.link_child(
        by=by, place=place, person=child, role="at_risk_here", linked_on=DAY
    )


def events(place, action="view"):
    return AuditEvent.objects.filter(
        target_type="places.place", target_id=str(place.pk), action=action
    )


def test_place_page_names_only_children_the_user_may_read(world, client_for):
    place = make_place(world.lead, world.partnership)
    link(world.lead, place, world.child_a)
    link(world.other, place, world.child_c)
    page = client_for(world.lead).get(reverse("places:detail", args=[place.pk]))
    html = page.content.decode()
    assert "Alex" in html and "Casey" not in html
    assert "And 1 child whose record you cannot read" in html
    assert events(place).get().detail["children"] == [world.child_a.pk]

    page = client_for(world.analyst).get(reverse("places:detail", args=[place.pk]))
    html = page.content.decode()
    assert "Alex" not in html and "Casey" not in html
    assert "2 children whose records you cannot read are linked" in html


def test_place_outside_the_partnership_is_not_found(world, client_for):
    place = make_place(world.lead, world.partnership)
    response = client_for(world.outsider).get(reverse("places:detail", args=[place.pk]))
    assert response.status_code == 404


#: The place page's queries: the session, the user, their agencies, the place (in
#: scope) with its records (interventions, assessments, reports, how many children
#: are linked), the readable links with their children's names, and the audit
#: event. For a user who may read no child's record (an analyst), the links are not
#: asked for at all.
PLACE_PAGE_QUERIES = 6


def test_place_page_queries_do_not_grow_with_children(
    world, client_for, django_assert_num_queries
):
    place = make_place(world.lead, world.partnership)
    link(world.lead, place, world.child_a)
    url = reverse("places:detail", args=[place.pk])
    clients = {user: client_for(user) for user in (world.lead, world.analyst)}
    queries = {world.lead: PLACE_PAGE_QUERIES, world.analyst: PLACE_PAGE_QUERIES - 1}
    for user, http in clients.items():
        http.get(url)  # the first page after sign-in also saves the session
        with django_assert_num_queries(queries[user]):
            assert http.get(url).status_code == 200
    for n in range(25):
        child = person_on_team(
            world.lead, partnership=world.partnership, first_name=f"Extra{n}"
        )
        link(world.lead, place, child)
        actions.record_report(
            by=world.lead, place=place, kind="incident", occurred_on=DAY, summary="x"
        )
        actions.record_intervention(
            by=world.lead, place=place, kind="lighting", started_on=DAY
        )
    for user, http in clients.items():
        with django_assert_num_queries(queries[user]):
            response = http.get(url)
        shown = len(response.context["links"])
        assert shown == (26 if user == world.lead else 0)
        assert response.context["hidden_children"] == 26 - shown


def test_place_list_with_map_and_export_suppression(world, client_for):
    place = make_place(world.lead, world.partnership)
    make_place(
        world.lead,
        world.partnership,
        name="A chat group",
        kind="online",
        latitude=None,
        longitude=None,
    )
    link(world.lead, place, world.child_a)
    http = client_for(world.analyst)
    html = http.get(reverse("places:list")).content.decode()
    assert "places-map-geojson" in html and "Centre Square" in html
    assert "Not on the map" in html  # the online platform, in the list
    response = http.get(reverse("places:export"))
    body = b"".join(response.streaming_content).decode()
    assert "Centre Square" in body and "fewer than 5" in body
    assert "Alex" not in body
    assert AuditEvent.objects.filter(action="export").count() == 1
    pdf = http.get(reverse("places:export_pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    import io

    from openpyxl import load_workbook

    sheet = list(
        load_workbook(io.BytesIO(http.get(reverse("places:export_xlsx")).content))[
            "Places of concern"
        ].values
    )
    assert sheet[0][1] == "Place" and "Centre Square" in {r[1] for r in sheet}
    assert "fewer than 5" in {r[6] for r in sheet[1:]}
    assert AuditEvent.objects.filter(action="export").count() == 3


def _street(rows):
    """(month, metres north of the place, crime type) rows as a snapshot table."""
    import math

    from svduty.places.evaluation import EARTH_RADIUS_M

    lat0, lon0 = MIDDLESBROUGH
    return pa.table(
        {
            "record_key": [f"k{i}" for i in range(len(rows))],
            "month": pa.array([r[0] for r in rows], pa.date32()),
            "falls_within": ["Cleveland Police"] * len(rows),
            "lsoa_code": ["E01012000"] * len(rows),
            "crime_type": [r[2] for r in rows],
            "last_outcome": [None] * len(rows),
            "latitude": [lat0 + math.degrees(r[1] / EARTH_RADIUS_M) for r in rows],
            "longitude": [lon0] * len(rows),
        }
    )


def test_evaluation_page_and_export(world, client_for):
    place = make_place(world.lead, world.partnership, radius_m=300)
    rows = []
    for month in range(1, 7):  # January to June 2022: 6 a month before, 2 after
        count = 6 if month < 4 else 2
        rows += [(dt.date(2022, month, 1), 50, "Robbery")] * count
        rows += [(dt.date(2022, month, 1), 900, "Robbery")] * 3  # too far
    make_snapshot(world.partnership, {"police_street": _street(rows)})
    intervention = actions.record_intervention(
        by=world.lead, place=place, kind="patrols", started_on=dt.date(2022, 4, 1)
    )
    http = client_for(world.analyst)
    url = reverse("places:evaluation", args=[place.pk, intervention.pk])
    page = http.get(url, {"radius": 300, "months": 3})
    result = page.context["result"]
    assert (result.before.count, result.after.count) == (18, 6)
    html = page.content.decode()
    assert "Incidents fell" in html and "regression to the mean" in html
    export = http.get(
        reverse("places:evaluation_export", args=[place.pk, intervention.pk]),
        {"radius": 300, "months": 3},
    )
    body = b"".join(export.streaming_content).decode()
    assert "fewer than 5" in body  # 2 a month after
    assert "Before (total)" in body and ",18" in body


def test_evaluation_pdf_and_workbook_suppress_and_withhold(world, client_for):
    import io
    import re
    import zlib

    from openpyxl import load_workbook

    place = make_place(world.lead, world.partnership, radius_m=300)
    rows = []
    # Before: 9, 9, 3 (one small month: another is withheld so that the 21 in
    # total does not give it away). After: 1, 0, 2 (a small total: no rate, no
    # change).
    for month, count in zip(range(1, 7), (9, 9, 3, 1, 0, 2), strict=True):
        rows += [(dt.date(2022, month, 1), 50, "Robbery")] * count
    make_snapshot(world.partnership, {"police_street": _street(rows)})
    intervention = actions.record_intervention(
        by=world.lead, place=place, kind="lighting", started_on=dt.date(2022, 4, 1)
    )
    http = client_for(world.analyst)
    query = {"radius": 300, "months": 3}
    page = http.get(
        reverse("places:evaluation", args=[place.pk, intervention.pk]), query
    ).content.decode()
    pdf_url = reverse("places:evaluation_export_pdf", args=[place.pk, intervention.pk])
    assert pdf_url in page

    xlsx = http.get(
        reverse("places:evaluation_export_xlsx", args=[place.pk, intervention.pk]),
        query,
    )
    workbook = load_workbook(io.BytesIO(xlsx.content))
    periods = list(workbook["Periods"].values)
    assert periods[1][0] == "Before" and periods[1][3:] == (21, 7)
    assert periods[2][0] == "After" and periods[2][3] == "fewer than 5"
    assert periods[2][4] in (None, "")  # no rate: it would give the count away
    months = {r[0]: r[2] for r in list(workbook["Months"].values)[1:]}
    assert months["2022-03"] == "fewer than 5"
    assert {months["2022-01"], months["2022-02"]} == {9, "[c]"}
    assert months["2022-05"] == 0

    pdf = http.get(pdf_url, query)
    assert pdf["Content-Type"] == "application/pdf"
    parts = [pdf.content]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf.content, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    text = b"\n".join(parts)
    assert b"/StructTreeRoot" in text and b"pdfuaid" in text
    exports = AuditEvent.objects.filter(action="export", target_id=str(intervention.pk))
    assert sorted(e.detail["format"] for e in exports) == ["pdf", "xlsx"]


def test_evaluation_page_without_snapshot_says_why(world, client_for):
    place = make_place(world.lead, world.partnership)
    intervention = actions.record_intervention(
        by=world.lead, place=place, kind="lighting", started_on=DAY
    )
    page = client_for(world.lead).get(
        reverse("places:evaluation", args=[place.pk, intervention.pk])
    )
    assert "no analytic snapshot yet" in page.content.decode()


def test_child_record_shows_group_only_to_those_who_see_every_member(world, client_for):
    group = make_group(world.lead, world.partnership, world.child_a, world.child_b)
    # The other practitioner joins child A's case team (but not child B's).
    case_actions.add_team_member(
        by=world.lead, person=world.child_a, user=world.other, role="contributor"
    )
    url = reverse("places:person_panel", args=[world.child_a.pk])
    mine = client_for(world.lead).get(url, HTTP_HX_REQUEST="true")
    assert group.name in mine.content.decode()
    theirs = client_for(world.other).get(url, HTTP_HX_REQUEST="true")
    assert theirs.status_code == 200
    assert group.name not in theirs.content.decode()
    assert "Not linked to any place or peer group" in theirs.content.decode()
    # And the group page itself is not found for them.
    response = client_for(world.other).get(reverse("places:group", args=[group.pk]))
    assert response.status_code == 404


def test_child_record_page_loads_the_panel(world, client_for):
    page = client_for(world.lead).get(reverse("cases:person", args=[world.child_a.pk]))
    assert reverse("places:person_panel", args=[world.child_a.pk]) in (
        page.content.decode()
    )


def test_group_page_names_members_and_is_audited(world, client_for):
    group = make_group(world.lead, world.partnership, world.child_a, world.child_b)
    page = client_for(world.lead).get(reverse("places:group", args=[group.pk]))
    html = page.content.decode()
    assert "Alex" in html and "Billie" in html
    event = AuditEvent.objects.get(
        target_type="places.peergroup", target_id=str(group.pk), action="view"
    )
    assert event.detail["children"] == sorted([world.child_a.pk, world.child_b.pk])


def test_forms_create_a_place_and_an_intervention(world, client_for):
    http = client_for(world.lead)
    response = http.post(
        reverse("places:new"),
        {
            "partnership": world.partnership.pk,
            "name": "Bus station",
            "kind": "transport_hub",
            "latitude": "54.5741",
            "longitude": "-1.2370",
            "radius_m": "200",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    place = world.partnership.places.get(name="Bus station")
    response = http.post(
        reverse("places:intervention_add", args=[place.pk]),
        {
            "kind": "lighting",
            "started_on_day": "1",
            "started_on_month": "3",
            "started_on_year": "2022",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert place.interventions.get().started_on == dt.date(2022, 3, 1)
    bad = http.post(
        reverse("places:new"),
        {
            "partnership": world.partnership.pk,
            "name": "X",
            "kind": "online",
            "latitude": "54.5",
            "longitude": "-1.2",
            "radius_m": "300",
        },
    )
    assert "An online platform has no point" in bad.content.decode()
