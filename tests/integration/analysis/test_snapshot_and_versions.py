"""The snapshot export from PostgreSQL (current batches only, rows placed by their
coordinates, pseudonymised), SNA versions (sign-off, immutability, audit, links for the
strategy), the pages' audit events and the downloads."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pyarrow.parquet as pq
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from svduty.analysis import actions
from svduty.analysis.models import SnaStatus, SnaVersion, latest_signed_off
from svduty.analysis.snapshot import current_snapshot, rebuild_snapshot
from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role
from svduty.sharing.imports import run_import
from svduty.sharing.models import BatchStatus, ImportBatch
from tests.factories.accounts import AgencyFactory
from tests.factories.analysis import grid_tables, make_snapshot
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.factories.sharing import street_row, write_street_csv
from tests.real_data import SAMPLES, lsoa_boundaries

VSO = "Violence and sexual offences"
HARTLEPOOL = SAMPLES / lsoa_boundaries("E06000001")


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Hartlepool Borough Council")


@pytest.fixture
def partnership(agency):
    partnership = PartnershipFactory(slug="hartlepool", name="Safer Hartlepool")
    MemberFactory(partnership=partnership, agency=agency)
    return partnership


@pytest.fixture
def analyst(make_user, agency):
    return make_user(Role.ANALYST, agency=agency)


def is_tagged_pdf(data: bytes) -> bool:
    """PDF/UA needs a structure tree, which may sit in a compressed stream."""
    import re
    import zlib

    if b"/StructTreeRoot" in data:
        return True
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            if b"/StructTreeRoot" in zlib.decompress(match.group(1)):
                return True
        except zlib.error:
            continue
    return False


def test_rebuild_uses_only_current_batches(partnership, analyst, tmp_path):
    run_import(
        by=analyst,
        partnership=partnership,
        kind="lsoa_boundaries",
        path=HARTLEPOOL,
        rebuild_snapshot=False,
    )
    older = write_street_csv(
        tmp_path / "old.csv",
        [street_row(crime_id="AAA", lsoa="E01011949", month="2022-01")] * 1,
    )
    first = run_import(
        by=analyst,
        partnership=partnership,
        kind="police_street",
        path=older,
        rebuild_snapshot=False,
    )
    newer = write_street_csv(
        tmp_path / "new.csv",
        [
            street_row(crime_id=f"B{i}", lsoa="E01011949", month="2022-01")
            for i in range(3)
        ],
    )
    second = run_import(
        by=analyst,
        partnership=partnership,
        kind="police_street",
        path=newer,
        rebuild_snapshot=False,
    )
    assert second.status == BatchStatus.SUCCEEDED
    first.refresh_from_db()
    assert first.superseded_by_id == second.pk
    snapshot = rebuild_snapshot(partnership)
    assert snapshot.row_counts["police_street"] == 3
    assert {b["id"] for b in snapshot.source_batches} == set(
        ImportBatch.objects.filter(
            superseded_by__isnull=True, status="succeeded"
        ).values_list("pk", flat=True)
    )
    street = pq.read_table(snapshot.path / "police_street.parquet").to_pylist()
    assert all(
        row["record_key"] and not row["record_key"].startswith("B") for row in street
    )
    assert current_snapshot(partnership) == snapshot


def test_the_import_pipeline_rebuilds_the_snapshot_after_commit(
    partnership, analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_import(
            by=analyst, partnership=partnership, kind="lsoa_boundaries", path=HARTLEPOOL
        )
    snapshot = current_snapshot(partnership)
    assert snapshot is not None and snapshot.row_counts["lsoa"] == 58


@pytest.fixture
def snapshot(partnership):
    street = [("2022-01", "E01000001", VSO)] * 7 + [
        ("2022-02", "E01000002", "Robbery")
    ] * 2
    return make_snapshot(partnership, grid_tables(street=street))


def test_version_lifecycle_sign_off_fixes_it_and_is_audited(
    partnership, analyst, snapshot
):
    version = actions.create_sna_version(
        by=analyst,
        partnership=partnership,
        snapshot=snapshot,
        title="SNA 2022",
        period_from=dt.date(2022, 1, 1),
        period_to=dt.date(2022, 2, 1),
        findings="",
        recommendations="Focus on the town centre.",
    )
    assert version.number == 1 and version.status == SnaStatus.DRAFT
    with pytest.raises(ValidationError):
        actions.sign_off_sna_version(by=analyst, version=version)  # no findings yet
    version = actions.update_sna_version(
        by=analyst,
        version=version,
        expected_version=version.version,
        findings="Violence is concentrated in two neighbourhoods.",
    )
    with pytest.raises(ValidationError, match="changed"):
        actions.update_sna_version(
            by=analyst, version=version, expected_version=1, gaps="x"
        )
    signed = actions.sign_off_sna_version(by=analyst, version=version)
    assert signed.is_signed_off and signed.signed_off_by == analyst
    with pytest.raises(ValidationError):
        actions.update_sna_version(
            by=analyst,
            version=signed,
            expected_version=signed.version,
            findings="Changed",
        )
    stored = SnaVersion.objects.get(pk=version.pk)
    stored.findings = "Sneaky change"
    with pytest.raises(ValidationError):
        stored.save()
    assert latest_signed_off(partnership) == signed
    assert list(SnaVersion.objects.visible_to(analyst)) == [signed]
    actions_seen = list(
        AuditEvent.objects.filter(target_type="analysis.snaversion").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions_seen) == ["change", "change", "create"]


def test_the_sign_off_page_shows_a_refusal_and_signs_off_on_the_button(
    partnership, analyst, snapshot, client_for
):
    version = actions.create_sna_version(
        by=analyst,
        partnership=partnership,
        snapshot=snapshot,
        title="SNA 2022",
        period_from=dt.date(2022, 1, 1),
        period_to=dt.date(2022, 2, 1),
        findings="",
        recommendations="",
    )
    client = client_for(analyst)
    url = reverse("analysis:version_sign_off", args=[partnership.slug, version.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url)
    assert refused.status_code == 200
    assert "Enter the key findings before signing off" in refused.text
    assert SnaVersion.objects.get(pk=version.pk).status == SnaStatus.DRAFT
    actions.update_sna_version(
        by=analyst,
        version=version,
        expected_version=version.version,
        findings="Violence is concentrated in two neighbourhoods.",
    )
    done = client.post(url, follow=True)
    assert done.redirect_chain[-1][0] == reverse(
        "analysis:version_detail", args=[partnership.slug, version.pk]
    )
    assert "Needs assessment version 1 signed off" in done.text
    assert SnaVersion.objects.get(pk=version.pk).status == SnaStatus.SIGNED_OFF


def test_only_analysts_in_the_partnership_may_write(
    partnership, snapshot, make_user, agency
):
    lead = make_user(Role.PARTNERSHIP_LEAD, agency=agency)
    outsider = make_user(Role.ANALYST)
    for user in (lead, outsider):
        with pytest.raises(PermissionDenied):
            actions.create_sna_version(
                by=user,
                partnership=partnership,
                snapshot=snapshot,
                title="x",
                period_from=dt.date(2022, 1, 1),
                period_to=dt.date(2022, 1, 1),
            )
    assert SnaVersion.objects.visible_to(outsider).count() == 0


def test_dashboard_view_and_downloads_are_audited_and_suppressed(
    partnership, analyst, snapshot, client_for
):
    client = client_for(analyst)
    url = reverse("analysis:dashboard", args=[partnership.slug])
    response = client.get(
        url, {"period_from": "2022-01", "period_to": "2022-02", "section": "where"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Serious violence by neighbourhood (LSOA)" in page
    assert snapshot.label in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == 1

    export = reverse("analysis:export", args=[partnership.slug, "kinds", "csv"])
    response = client.get(export, {"period_from": "2022-01", "period_to": "2022-02"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Violence and sexual offences,7," in body
    assert "Robbery,fewer than 5,withheld (small number)" in body

    xlsx = reverse("analysis:export", args=[partnership.slug, "areas", "xlsx"])
    response = client.get(xlsx, {"period_from": "2022-01", "period_to": "2022-02"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert values["E01000001"][2] == 7
    assert values["E01000002"][2] == "fewer than 5"

    response = client.get(
        reverse("analysis:report_pdf", args=[partnership.slug]),
        {"period_from": "2022-01", "period_to": "2022-02"},
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert is_tagged_pdf(response.content)
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert exports.count() == 3
    assert {e.detail["snapshot"] for e in exports} == {snapshot.pk}

    # The same report again: made once per snapshot and filters, served from the
    # snapshot's cache (nothing is laid out again), and audited again.
    with mock.patch(
        "svduty.analysis.report.render_pdf", side_effect=AssertionError("re-rendered")
    ):
        again = client.get(
            reverse("analysis:report_pdf", args=[partnership.slug]),
            {"period_from": "2022-01", "period_to": "2022-02"},
        )
    assert again.content == response.content
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 4


def test_export_escapes_spreadsheet_formulas(partnership, analyst, client_for):
    tables = grid_tables(street=[("2022-01", "E01000001", VSO)] * 6)
    names = tables["lsoa"].column("name").to_pylist()
    names[0] = '=HYPERLINK("http://evil")'
    tables["lsoa"] = tables["lsoa"].set_column(1, "name", [names])
    make_snapshot(partnership, tables)
    client = client_for(analyst)
    params = {"period_from": "2022-01", "period_to": "2022-01"}
    response = client.get(
        reverse("analysis:export", args=[partnership.slug, "areas", "csv"]), params
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    response = client.get(
        reverse("analysis:export", args=[partnership.slug, "areas", "xlsx"]), params
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in cells


def test_bad_filters_show_an_error_not_a_crash(
    partnership, analyst, snapshot, client_for
):
    client = client_for(analyst)
    url = reverse("analysis:dashboard", args=[partnership.slug])
    response = client.get(url, {"period_from": "2022-02", "period_to": "2022-01"})
    assert response.status_code == 200
    assert (
        "The end month must be the same as or after the start month"
        in response.content.decode()
    )
    response = client.get(
        url, {"period_from": "2022-01", "period_to": "2022-02", "area": "nope"}
    )
    assert "Error:" in response.content.decode()


def test_svduty_sna_command_writes_json_html_and_pdf(partnership, snapshot, tmp_path):
    import json

    from django.core.management import call_command

    out = tmp_path / "sna.json"
    call_command(
        "sna",
        "--partnership",
        "hartlepool",
        "--from",
        "2022-01",
        "--to",
        "2022-02",
        "--format",
        "json",
        "--output",
        str(out),
    )
    data = json.loads(out.read_text())
    assert data["records"]["in_area"] == 9
    assert data["snapshot"]["id"] == snapshot.pk
    call_command(
        "sna",
        "--partnership",
        "hartlepool",
        "--from",
        "2022-01",
        "--to",
        "2022-02",
        "--format",
        "json",
        "--suppress",
        "--output",
        str(out),
    )
    suppressed = json.loads(out.read_text())
    rows = {r[0]: r for r in suppressed["tables"]["kinds"]["rows"]}
    assert rows["Robbery"][1] == "fewer than 5"
    html = tmp_path / "sna.html"
    call_command(
        "sna",
        "--partnership",
        "hartlepool",
        "--from",
        "2022-01",
        "--to",
        "2022-02",
        "--format",
        "html",
        "--output",
        str(html),
    )
    assert "fewer than 5" in html.read_text()
    pdf = tmp_path / "sna.pdf"
    call_command(
        "sna",
        "--partnership",
        "hartlepool",
        "--from",
        "2022-01",
        "--to",
        "2022-02",
        "--format",
        "pdf",
        "--output",
        str(pdf),
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 4


def test_a_definition_agreed_after_the_period_is_named_not_denied(
    partnership, snapshot, analyst
):
    """Issue 16, point 4: the data predates the local definition; say so rather than
    that the partnership has none."""
    from svduty.analysis.service import options_for
    from svduty.partnership.models import DefinitionStatus, LocalDefinition

    LocalDefinition.objects.create(
        partnership=partnership,
        number=1,
        status=DefinitionStatus.AGREED,
        agreed_on=dt.date(2024, 3, 5),
        agreed_by="Partnership board",
        created_by=analyst,
    )
    options = options_for(
        partnership,
        snapshot,
        period_from=dt.date(2022, 1, 1),
        period_to=dt.date(2022, 2, 28),
    )
    assert options.sv_types_source == "default"
    assert options.partnership["definition_agreed_on"] == "5 March 2024"


def test_api_gives_the_commands_json_with_the_same_filters(
    partnership, snapshot, analyst, client_for, make_user
):
    import json

    from svduty.analysis.service import sna_for
    from svduty.analysis.sna import parse_month

    url = reverse("api-sna", args=[partnership.slug])
    client = client_for(analyst)
    params = {"period_from": "2022-01", "period_to": "2022-02"}
    body = client.get(url, params).json()
    expected = sna_for(
        partnership,
        period_from=parse_month("2022-01"),
        period_to=parse_month("2022-02"),
    )
    assert body == json.loads(json.dumps(expected, default=str))
    shared = client.get(url, params | {"suppress": "true"}).json()
    assert shared["suppressed"] is True
    assert client.get(url, {"period_from": "nonsense"}).status_code == 400
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 2
    stranger = make_user(Role.ANALYST, agency=AgencyFactory(name="Elsewhere"))
    assert client_for(stranger).get(url, params).status_code == 404


@pytest.mark.parametrize("suppress", [False, True])
def test_api_with_a_kind_and_an_area_is_exactly_the_commands_json(
    partnership, snapshot, analyst, client_for, tmp_path, suppress
):
    """Issue 16, the analyst's API: the same JSON as `svduty sna --format json`
    with the same filters (period, kind, local authority, suppression)."""
    import json

    from django.core.management import call_command

    out = tmp_path / "sna.json"
    call_command(
        "sna",
        "--partnership",
        partnership.slug,
        "--from",
        "2022-01",
        "--to",
        "2022-02",
        "--kind",
        "Robbery",
        "--area",
        "E06000002",
        "--output",
        str(out),
        *(["--suppress"] if suppress else []),
    )
    from_command = json.loads(out.read_text())
    params = {
        "period_from": "2022-01",
        "period_to": "2022-02",
        "kind": "Robbery",
        "area": "E06000002",
    }
    if suppress:
        params["suppress"] = "true"
    response = client_for(analyst).get(
        reverse("api-sna", args=[partnership.slug]), params
    )
    assert response.status_code == 200
    assert response.json() == from_command
    unfiltered = client_for(analyst).get(
        reverse("api-sna", args=[partnership.slug]),
        {"period_from": "2022-01", "period_to": "2022-02"}
        | ({"suppress": "true"} if suppress else {}),
    )
    # The filters changed the figures: the kind and the area were applied.
    assert unfiltered.json() != from_command


def test_the_default_report_is_made_with_the_snapshot(
    partnership, analyst, snapshot, client_for
):
    from svduty.analysis.receivers import warm, warm_report

    warm(partnership, snapshot)
    warm_report(partnership, snapshot)
    # The first download of the default view's report is a cache read: nothing is
    # laid out in the request, and it is audited as any download.
    with mock.patch(
        "svduty.analysis.report.render_pdf", side_effect=AssertionError("rendered")
    ):
        response = client_for(analyst).get(
            reverse("analysis:report_pdf", args=[partnership.slug])
        )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert is_tagged_pdf(response.content)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1
    # So are the reports of the other views the dashboard warms: each kind of
    # serious violence and each local authority, over the default period.
    from svduty.analysis.dashboard import warm_views

    views = warm_views(partnership, snapshot)
    assert len(views) > 2
    with mock.patch(
        "svduty.analysis.report.render_pdf", side_effect=AssertionError("rendered")
    ):
        for view in views[1:]:
            params = {
                "period_from": f"{view['period_from']:%Y-%m}",
                "period_to": f"{view['period_to']:%Y-%m}",
                "kind": view["kind"] or "",
                "area": view["area"] or "",
            }
            response = client_for(analyst).get(
                reverse("analysis:report_pdf", args=[partnership.slug]), params
            )
            assert response.status_code == 200, params
            assert response.content.startswith(b"%PDF")


def test_a_viewed_dashboard_has_its_report_made_before_it_is_asked_for(
    partnership, analyst, snapshot, client_for, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """The dashboard of filters nobody has viewed before asks the task worker to make
    their report (issue 15 point 3), once: its download is then a cache read."""
    from svduty.analysis.tasks import make_report

    settings.SNA_PREPARE_REPORTS = True
    client = client_for(analyst)
    params = {"period_from": "2022-01", "period_to": "2022-02"}
    dashboard = reverse("analysis:dashboard", args=[partnership.slug])
    with django_capture_on_commit_callbacks(execute=True) as asked:
        assert client.get(dashboard, params).status_code == 200
    assert len(asked) == 1  # the tests run tasks as they are enqueued
    with mock.patch(
        "svduty.analysis.report.render_pdf", side_effect=AssertionError("rendered")
    ):
        response = client.get(
            reverse("analysis:report_pdf", args=[partnership.slug]), params
        )
    assert response.status_code == 200
    assert is_tagged_pdf(response.content)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1
    # Another section of the same view, the view again, the HTML report of it: asked
    # for already.
    with django_capture_on_commit_callbacks(execute=True) as asked:
        client.get(dashboard, {**params, "section": "trend"})
        client.get(dashboard, params)
        client.get(reverse("analysis:report", args=[partnership.slug]), params)
    assert asked == []
    # Off: nothing is asked for.
    settings.SNA_PREPARE_REPORTS = False
    with django_capture_on_commit_callbacks(execute=True) as asked:
        client.get(dashboard, {"period_from": "2022-01", "period_to": "2022-01"})
    assert asked == []
    # A snapshot that is not the partnership's (or whose files are gone) makes
    # nothing.
    view = {"period_from": "2022-01-01", "period_to": "2022-02-01"}
    assert make_report.call(partnership.pk + 1000, snapshot.pk, view) is False
    assert make_report.call(partnership.pk, snapshot.pk, view) is True
