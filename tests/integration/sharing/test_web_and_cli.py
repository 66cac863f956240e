"""Upload pages, the problems export, the command line and the other kinds."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from svduty.audit.models import AuditAction, AuditEvent
from svduty.partnership.models import Partnership
from svduty.sharing.imports import SYSTEM_USERNAME, run_import
from svduty.sharing.models import (
    BatchStatus,
    CrimeExtractRecord,
    ImportBatch,
    IstvRecord,
    PoliceStreetRecord,
    StopSearchRecord,
)
from tests import real_data
from tests.factories.sharing import POLICE_STREET_HEADER, street_row
from tests.real_data import SAMPLES

from .conftest import STREET_2022_01, STREET_2022_01_ROWS

STOP_SEARCH = SAMPLES / real_data.STOP_SEARCH
CRIME_HEADER = (
    "crime_reference,recorded_date,offence_from,offence_to,ho_offence_code,"
    "offence_description,knife_or_sharp_object,firearm,domestic_abuse,lsoa_code,"
    "latitude,longitude,victim_age_band,victim_sex,victim_ethnicity,"
    "suspect_age_band,suspect_sex,suspect_ethnicity,outcome"
)
ISTV_HEADER = (
    "reporting_period_start,reporting_period_end,site_code,arrival_datetime,"
    "assault_datetime,assault_method,assault_method_other,assault_location_type,"
    "assault_location_description,lsoa_code,postcode_district"
)


def _upload(client, partnership, kind, name, content, agreement=None):
    return client.post(
        reverse("sharing:upload"),
        {
            "partnership": partnership.pk,
            "kind": kind,
            "agreement": agreement.pk if agreement else "",
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        },
    )


def test_upload_runs_the_import_and_shows_the_result(
    client_for, analyst, partnership, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(analyst)
    assert client.get(reverse("sharing:upload")).status_code == 200
    response = _upload(
        client,
        partnership,
        "police_street",
        "2022-01-cleveland-street.csv",
        STREET_2022_01.read_bytes(),
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("sharing:batch", args=[batch.pk])
    assert batch.status == BatchStatus.SUCCEEDED
    assert batch.rows_imported == STREET_2022_01_ROWS
    page = client.get(response["Location"]).content.decode()
    assert "File imported" in page and f"{STREET_2022_01_ROWS} rows imported" in page
    assert batch.sha256 in page
    # The uploaded copy is deleted once imported.
    assert list((tmp_path / "imports").iterdir()) == []
    listing = client.get(reverse("sharing:home")).content.decode()
    assert "2022-01-cleveland-street.csv" in listing
    assert batch.sha256[:12] in listing
    # htmx asks for the panel; a finished import tells it to show the full page.
    progress = client.get(
        reverse("sharing:batch_progress", args=[batch.pk]), HTTP_HX_REQUEST="true"
    )
    assert progress["HX-Refresh"] == "true"


def test_failed_upload_lists_problems_and_exports_them_safely(
    client_for, analyst, partnership, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(analyst)
    content = "\r\n".join(
        [
            POLICE_STREET_HEADER,
            street_row(),
            street_row(month='=HYPERLINK("http://x")'),
            street_row(lat="91"),
        ]
    ).encode()
    response = _upload(client, partnership, "police_street", "bad.csv", content)
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED
    assert PoliceStreetRecord.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "The file was not imported" in page
    assert "How to fix it" in page
    assert "Correct the ‘Month’ value in row 3" in page
    export = client.get(reverse("sharing:batch_problems", args=[batch.pk]))
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Row", "Column", "What is wrong", "How to fix it"]
    assert all(
        not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row
    )
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_same_upload_twice_says_nothing_changed(
    client_for, analyst, partnership, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(analyst)
    content = ("\r\n".join([POLICE_STREET_HEADER, street_row()]) + "\r\n").encode()
    _upload(client, partnership, "police_street", "a.csv", content)
    response = _upload(client, partnership, "police_street", "a-again.csv", content)
    page = client.get(response["Location"]).content.decode()
    assert "Already imported" in page and "Nothing has changed" in page
    assert PoliceStreetRecord.objects.count() == 1


def test_upload_of_partner_data_without_agreement_is_refused_on_the_form(
    client_for, analyst, partnership, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(client_for(analyst), partnership, "istv", "ed.csv", b"anything")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select the data sharing agreement that covers" in page
    assert ImportBatch.objects.count() == 0


def test_other_kinds_import(analyst, partnership, agreement, tmp_path):
    stop = run_import(
        by=analyst, partnership=partnership, kind="police_stop_search", path=STOP_SEARCH
    )
    assert stop.status == BatchStatus.SUCCEEDED, stop.problems
    assert StopSearchRecord.objects.count() == 907
    assert stop.periods == ["2019-06-01"]

    crimes = tmp_path / "crimes.csv"
    crimes.write_text(
        CRIME_HEADER
        + "\nCR1,2022-01-05,2022-01-04 23:10,,8/01,ABH,Y,N,N,E01012345,54.5,-1.2,"
        "18-24,M,W1,25-34,male,NS,\n"
    )
    batch = run_import(
        by=analyst,
        partnership=partnership,
        kind="police_crime_extract",
        path=crimes,
        agreement=agreement,
    )
    assert batch.status == BatchStatus.SUCCEEDED, batch.problems
    record = CrimeExtractRecord.objects.get()
    assert record.ho_offence_code == "008/01" and record.knife_or_sharp_object

    istv = tmp_path / "istv.csv"
    istv.write_text(
        ISTV_HEADER + "\n2022-01-01,2022-01-31,RVWAA,2022-01-03 23:10,"
        "2022-01-03 22:40,glass_or_bottle,,licensed_premises,,E01012345,TS1\n"
    )
    batch = run_import(
        by=analyst, partnership=partnership, kind="istv", path=istv, agreement=agreement
    )
    assert batch.status == BatchStatus.SUCCEEDED, batch.problems
    assert IstvRecord.objects.get().postcode_district == "TS1"
    assert batch.agreement == agreement


def test_import_data_command(partnership, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(POLICE_STREET_HEADER + "\r\n" + street_row(month="2022/01") + "\r\n")
    with pytest.raises(CommandError) as error:
        call_command(
            "import_data",
            "--partnership",
            partnership.slug,
            "--kind",
            "police_street",
            str(STREET_2022_01),
            str(bad),
        )
    assert error.value.returncode == 1
    out, err = capsys.readouterr()
    assert "imported (batch" in out
    assert "not imported" in err and "row 2" in err
    assert PoliceStreetRecord.objects.count() == STREET_2022_01_ROWS
    event = AuditEvent.objects.filter(action=AuditAction.IMPORT).first()
    assert event.actor_label == SYSTEM_USERNAME

    call_command(
        "import_data",
        "--partnership",
        partnership.slug,
        "--kind",
        "police_street",
        str(STREET_2022_01),
    )
    assert "already imported" in capsys.readouterr().out


def test_import_data_refuses_partner_data_without_agreement(partnership, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(ISTV_HEADER + "\n")
    with pytest.raises(CommandError):
        call_command(
            "import_data",
            "--partnership",
            partnership.slug,
            "--kind",
            "istv",
            str(path),
        )
    assert ImportBatch.objects.count() == 0


def test_create_partnership_command(db, capsys):
    call_command(
        "create_partnership",
        "testshire",
        "--name",
        "Testshire VRU",
        "--area",
        "E06000001",
        "--area",
        "E06000002",
    )
    partnership = Partnership.objects.get(slug="testshire")
    assert partnership.areas.count() == 2
    assert "Created partnership" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("create_partnership", "bad", "--name", "X", "--area", "Z1")


def test_upload_form_tells_agreements_with_the_same_title_apart(
    analyst, partnership, police, council, client_for
):
    """Issue 16: the agreement list showed ten entries with the same name. Each is
    now grouped under its partnership and named with who discloses, its dates and
    why an import under it would be refused."""
    import datetime as dt

    from svduty.accounts.models import AgencyType
    from tests.factories.accounts import AgencyFactory
    from tests.factories.partnership import MemberFactory, PartnershipFactory
    from tests.factories.sharing import AgreementFactory

    other = PartnershipFactory(slug="stockton", name="Safer Stockton")
    MemberFactory(partnership=other, agency=council)
    title = "Police recorded crime (synthetic)"
    current = AgreementFactory(
        partnership=partnership, parties=[police], created_by=analyst, title=title
    )
    current.providers.set([police])
    ended = AgreementFactory(
        partnership=partnership,
        parties=[police],
        created_by=analyst,
        title=title,
        starts_on=dt.date(2020, 1, 1),
        review_on=dt.date(2021, 1, 1),
        ends_on=dt.date(2023, 12, 31),
    )
    ended.providers.set(
        [AgencyFactory(name="Durham Constabulary", agency_type=AgencyType.POLICE)]
    )
    elsewhere = AgreementFactory(
        partnership=other, parties=[police], created_by=analyst, title=title
    )
    page = client_for(analyst).get(reverse("sharing:upload")).content.decode()

    assert '<optgroup label="Safer Hartlepool">' in page
    assert '<optgroup label="Safer Stockton">' in page
    assert (
        f'<option value="{current.pk}">{title}: from Cleveland Police, '
        "1 January 2024 to no end date</option>"
    ) in page
    assert (
        f'<option value="{ended.pk}">{title}: from Durham Constabulary, '
        "1 January 2020 to 31 December 2023 (expired)</option>"
    ) in page
    assert f'<option value="{elsewhere.pk}">{title}, 1 January 2024' in page
    assert page.index("Safer Hartlepool") < page.index(f'value="{elsewhere.pk}"')
    # The choice still validates against the agreements the analyst may use.
    response = _upload(
        client_for(analyst), partnership, "istv", "ed.csv", b"x", agreement=current
    )
    assert "Select a valid choice" not in response.content.decode()
