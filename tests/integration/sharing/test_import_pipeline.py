"""The import pipeline: all or nothing, idempotent, superseding, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from svduty.audit.models import AuditAction, AuditEvent
from svduty.sharing import imports
from svduty.sharing.imports import run_import
from svduty.sharing.models import (
    BatchStatus,
    ImportBatch,
    IstvRecord,
    Lsoa,
    LsoaLookup,
    PoliceStreetRecord,
)
from tests.factories.sharing import street_row, write_street_csv

from .conftest import HARTLEPOOL_BOUNDARIES, LOOKUP, STREET_2022_01, STREET_2022_01_ROWS


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (PoliceStreetRecord, Lsoa, LsoaLookup, IstvRecord)
    }


def _import(analyst, partnership, kind, path, **kwargs):
    return run_import(
        by=analyst, partnership=partnership, kind=kind, path=path, **kwargs
    )


def test_real_month_is_imported_with_provenance_and_one_audit_event(
    analyst, partnership
):
    batch = _import(analyst, partnership, "police_street", STREET_2022_01)
    assert batch.status == BatchStatus.SUCCEEDED, batch.problems
    assert batch.rows_imported == STREET_2022_01_ROWS
    assert PoliceStreetRecord.objects.filter(batch=batch).count() == STREET_2022_01_ROWS
    assert (
        PoliceStreetRecord.objects.filter(batch=batch, crime_id__isnull=True).count()
        > 0
    )
    assert batch.periods == [["Cleveland Police", "2022-01-01"]]
    assert len(batch.sha256) == 64
    assert batch.imported_by == analyst
    events = AuditEvent.objects.filter(action=AuditAction.IMPORT)
    assert events.count() == 1
    event = events.get()
    assert event.detail["s62"] == "collection"
    assert event.detail["rows_imported"] == STREET_2022_01_ROWS
    assert event.target_id == str(batch.pk)


def test_same_file_twice_changes_nothing_and_says_so(analyst, partnership):
    first = _import(analyst, partnership, "police_street", STREET_2022_01)
    before = _counts()
    second = _import(analyst, partnership, "police_street", STREET_2022_01)
    assert second.status == BatchStatus.DUPLICATE
    assert second.duplicate_of == first
    assert "already imported" in second.message
    assert "Nothing has changed" in second.message
    assert _counts() == before
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 2


def test_newer_file_for_the_same_force_and_month_supersedes(
    analyst, partnership, tmp_path
):
    old = _import(
        analyst,
        partnership,
        "police_street",
        write_street_csv(
            tmp_path / "old.csv",
            [street_row(crime_id=f"old{i}") for i in range(3)]
            + [street_row(crime_id="feb", month="2022-02")],
        ),
    )
    other_force = _import(
        analyst,
        partnership,
        "police_street",
        write_street_csv(
            tmp_path / "durham.csv", [street_row(force="Durham Constabulary")]
        ),
    )
    new = _import(
        analyst,
        partnership,
        "police_street",
        write_street_csv(
            tmp_path / "new.csv", [street_row(crime_id=f"new{i}") for i in range(5)]
        ),
    )
    assert new.status == BatchStatus.SUCCEEDED
    jan = PoliceStreetRecord.objects.filter(
        month=dt.date(2022, 1, 1), falls_within="Cleveland Police"
    )
    assert sorted(jan.values_list("crime_id", flat=True)) == [
        f"new{i}" for i in range(5)
    ]
    # February from the old file and the other force's January stay.
    assert PoliceStreetRecord.objects.filter(crime_id="feb").exists()
    assert PoliceStreetRecord.objects.filter(batch=other_force).count() == 1
    old.refresh_from_db()
    assert old.superseded_by is None  # still holds February
    assert "replace 3 rows" in new.message

    newer_feb = _import(
        analyst,
        partnership,
        "police_street",
        write_street_csv(tmp_path / "feb.csv", [street_row(month="2022-02")]),
    )
    old.refresh_from_db()
    assert old.superseded_by == newer_feb
    assert list(ImportBatch.objects.current().filter(pk=old.pk)) == []


def test_file_with_problems_writes_nothing_but_the_failed_batch(
    analyst, partnership, tmp_path
):
    good = [street_row(crime_id=f"ok{i}") for i in range(25_000)]
    bad_half_way = [
        *good[:12_000],
        street_row(month="2022-13"),
        street_row(lon="-500"),
        street_row(lat="54.5x"),
        *good[12_000:],
    ]
    before = _counts()
    batch = _import(
        analyst,
        partnership,
        "police_street",
        write_street_csv(tmp_path / "bad.csv", bad_half_way),
    )
    assert batch.status == BatchStatus.FAILED
    assert _counts() == before
    assert batch.rows_imported == 0
    # Batches of 10,000 were staged before the problems were found.
    assert batch.progress_rows >= 10_000
    rows = {(p["row"], p["column"]) for p in batch.problems}
    assert (12_002, "Month") in rows
    assert any(p["row"] == 12_003 for p in batch.problems)
    assert any(p["row"] == 12_004 for p in batch.problems)
    assert all(p["message"] and "Traceback" not in p["message"] for p in batch.problems)
    assert "Nothing was imported" in batch.message
    assert AuditEvent.objects.filter(
        action=AuditAction.IMPORT, detail__status="failed"
    ).exists()


def test_wrong_headers_are_reported_and_nothing_is_written(
    analyst, partnership, tmp_path
):
    path = tmp_path / "wrong.csv"
    path.write_text("Crime reference,Month,Force\nX,2022-01,Cleveland\n")
    batch = _import(analyst, partnership, "police_street", path)
    assert batch.status == BatchStatus.FAILED
    assert "Nothing from this file was imported" in batch.message
    assert batch.problems and "column" in batch.problems[0]["message"].lower()
    assert PoliceStreetRecord.objects.count() == 0


def test_rows_outside_the_area_and_2021_codes_are_kept_and_counted(
    analyst, partnership, tmp_path
):
    _import(analyst, partnership, "lsoa_boundaries", HARTLEPOOL_BOUNDARIES)
    assert Lsoa.objects.filter(partnership=partnership).count() == 58
    _import(analyst, partnership, "lsoa_lookup", LOOKUP)
    inside = Lsoa.objects.filter(partnership=partnership).first().code
    # A 2021 code that the lookup maps to one of Hartlepool's 2011 LSOAs.
    code_2021 = (
        LsoaLookup.objects.filter(partnership=partnership, lsoa11_code=inside)
        .values_list("lsoa21_code", flat=True)
        .first()
    )
    batch = _import(
        analyst,
        partnership,
        "police_street",
        write_street_csv(
            tmp_path / "mixed.csv",
            [
                street_row(crime_id="in", lsoa=inside),
                street_row(crime_id="in21", lsoa=code_2021),
                street_row(crime_id="out", lsoa="E01000001"),
                street_row(crime_id="nowhere", lon="", lat="", lsoa=""),
            ],
        ),
    )
    assert batch.status == BatchStatus.SUCCEEDED
    assert batch.rows_imported == 4
    assert batch.rows_outside_area == 1
    assert "outside" in batch.message
    assert PoliceStreetRecord.objects.filter(crime_id="out").exists()


def test_patient_identifiers_refuse_the_whole_file(
    analyst, partnership, agreement, tmp_path
):
    path = tmp_path / "istv.csv"
    path.write_text(
        "reporting_period_start,reporting_period_end,site_code,arrival_datetime,"
        "assault_datetime,assault_method,assault_method_other,assault_location_type,"
        "assault_location_description,NHS Number\n"
        "2022-01-01,2022-01-31,RVW01,2022-01-03 23:10,2022-01-03 22:40,body_part,,"
        "street,,9434765919\n"
    )
    batch = _import(analyst, partnership, "istv", path, agreement=agreement)
    assert batch.status == BatchStatus.FAILED
    assert "NHS" in batch.message
    assert IstvRecord.objects.count() == 0


def test_partner_data_needs_an_agreement(analyst, partnership, tmp_path):
    with pytest.raises(ValidationError) as error:
        _import(analyst, partnership, "istv", tmp_path / "any.csv")
    assert "Select the data sharing agreement" in str(error.value)
    assert ImportBatch.objects.count() == 0


def test_expired_agreement_blocks_the_import_with_a_clear_message(
    analyst, partnership, agreement, tmp_path
):
    agreement.ends_on = dt.date(2026, 3, 31)
    agreement.save()
    with pytest.raises(ValidationError) as error:
        imports.check_agreement(
            partnership=partnership,
            kind="istv",
            agreement=agreement,
            on=dt.date(2026, 4, 1),
        )
    assert error.value.message_dict["agreement"] == [
        "The data sharing agreement ‘Cleveland Police crime data’ ended on "
        "31 March 2026. Ask your data protection officer to renew it before "
        "importing."
    ]


def test_agreement_must_cover_the_kind(analyst, partnership, agreement):
    agreement.datasets = ["istv"]
    agreement.save()
    with pytest.raises(ValidationError, match="does not cover"):
        imports.check_agreement(
            partnership=partnership,
            kind="police_crime_extract",
            agreement=agreement,
        )


def test_only_importers_of_the_partnership_may_import(make_user, partnership, tmp_path):
    from svduty.core.authorisation import Role

    outsider = make_user(Role.ANALYST)
    with pytest.raises(PermissionDenied):
        _import(outsider, partnership, "police_street", STREET_2022_01)
    lead = make_user(Role.PARTNERSHIP_LEAD, agency=partnership.members.first().agency)
    with pytest.raises(PermissionDenied):
        _import(lead, partnership, "police_street", STREET_2022_01)


def test_a_successful_import_announces_itself_after_the_commit(
    analyst, partnership, django_capture_on_commit_callbacks
):
    from svduty.sharing.signals import import_succeeded

    calls = []

    def receiver(sender, *, partnership, **kwargs):
        calls.append(partnership)

    import_succeeded.connect(receiver, dispatch_uid="test_import_succeeded")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _import(analyst, partnership, "police_street", STREET_2022_01)
        assert calls == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        import_succeeded.disconnect(dispatch_uid="test_import_succeeded")
    assert calls == [partnership]


def test_the_analysis_app_rebuilds_its_snapshot_on_import_succeeded():
    from svduty.analysis.receivers import on_import_succeeded
    from svduty.partnership.models import Partnership
    from svduty.sharing.signals import import_succeeded

    sync_receivers, _async_receivers = import_succeeded._live_receivers(Partnership)
    assert on_import_succeeded in sync_receivers
