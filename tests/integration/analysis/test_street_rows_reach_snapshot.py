"""Every imported street-level row reaches the analytic snapshot (issue 15).

Several forces and partnerships in one database, with the edge cases of the national
files: rows without coordinates or LSOA, anti-social behaviour without a crime ID,
the same crime ID in two forces' files, a year boundary, LSOAs outside the
partnership's area, the single-write path's batch boundaries every few rows, one
file imported by two partnerships and a re-issued month that replaces part of an
older file. The snapshot counts each batch's rows as it exports them and refuses
to publish when a batch's rows do not all arrive.
"""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from django.db import connection

from svduty.analysis.models import Snapshot
from svduty.analysis.snapshot import SnapshotIncomplete, rebuild_snapshot
from svduty.core.authorisation import Role
from svduty.sharing.fastpath import single_write
from svduty.sharing.imports import run_import
from svduty.sharing.models import BatchStatus, ImportBatch, Lsoa, PoliceStreetRecord
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.factories.sharing import street_row, write_street_csv
from tests.real_data import SAMPLES, lsoa_boundaries

HARTLEPOOL = SAMPLES / lsoa_boundaries("E06000001")
CLEVELAND, DURHAM, NORTHUMBRIA = (
    "Cleveland Police",
    "Durham Constabulary",
    "Northumbria Police",
)
MONTHS = ["2022-11", "2022-12", "2023-01", "2023-02"]
ASB = "Anti-social behaviour"


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    # A polars batch (and a COPY) every 2 KB: about ten rows each.
    monkeypatch.setattr(single_write, "BATCH_BYTES", 2048)


def force_rows(force: str, months: list[str], per_month: int, tag: str = "") -> list:
    rows = []
    for month in months:
        for i in range(per_month):
            kind = i % 8
            if kind == 0:  # no location, so no coordinates and no LSOA
                rows.append(
                    street_row(
                        crime_id=f"n{force[:3]}{month}{i}{tag}",
                        month=month,
                        force=force,
                        lon="",
                        lat="",
                        lsoa="",
                    )
                )
            elif kind == 1:  # anti-social behaviour has no crime ID
                rows.append(
                    street_row(crime_id="", month=month, force=force, crime_type=ASB)
                )
            elif kind == 2:  # the same crime ID in every force's file
                rows.append(
                    street_row(crime_id=f"same{month}{i}", month=month, force=force)
                )
            elif kind == 3:  # an LSOA outside any of the partnerships' areas
                rows.append(
                    street_row(
                        crime_id=f"w{force[:3]}{month}{i}{tag}",
                        month=month,
                        force=force,
                        lsoa="W01000001",
                    )
                )
            else:
                rows.append(
                    street_row(
                        crime_id=f"{force[:3]}{month}{i}{tag}",
                        month=month,
                        force=force,
                        lsoa=f"E010119{50 + i % 40:02d}",
                    )
                )
    return rows


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Police")


@pytest.fixture
def analyst(make_user, agency):
    return make_user(Role.ANALYST, agency=agency)


def partnership(agency, slug):
    made = PartnershipFactory(slug=slug, name=slug.title())
    MemberFactory(partnership=made, agency=agency)
    return made


def street(analyst, where, path):
    batch = run_import(
        by=analyst,
        partnership=where,
        kind="police_street",
        path=path,
        rebuild_snapshot=False,
    )
    assert batch.status == BatchStatus.SUCCEEDED, batch.message
    return batch


def in_table(batch) -> int:
    return PoliceStreetRecord.objects.filter(batch=batch).count()


def test_every_row_of_every_force_reaches_the_snapshots(analyst, agency, tmp_path):
    hartlepool = partnership(agency, "hartlepool")
    north = partnership(agency, "north")
    twin = partnership(agency, "cleveland-twin")
    run_import(
        by=analyst,
        partnership=hartlepool,
        kind="lsoa_boundaries",
        path=HARTLEPOOL,
        rebuild_snapshot=False,
    )
    cleveland_rows = force_rows(CLEVELAND, MONTHS, 40)
    cleveland = write_street_csv(tmp_path / "cleveland.csv", cleveland_rows)
    first = street(analyst, hartlepool, cleveland)
    durham = street(
        analyst,
        north,
        write_street_csv(tmp_path / "durham.csv", force_rows(DURHAM, MONTHS, 31)),
    )
    northumbria = street(
        analyst,
        north,
        write_street_csv(
            tmp_path / "northumbria.csv", force_rows(NORTHUMBRIA, MONTHS[1:], 27)
        ),
    )
    second = street(analyst, twin, cleveland)
    # January re-issued with fewer rows: it replaces that month of the first file.
    reissue = street(
        analyst,
        hartlepool,
        write_street_csv(
            tmp_path / "cleveland-2023-01.csv",
            force_rows(CLEVELAND, ["2023-01"], 25, tag="r"),
        ),
    )

    first.refresh_from_db()
    assert first.rows_imported == len(cleveland_rows) == 160
    assert first.rows_replaced == 40
    assert in_table(first) == 120
    assert reissue.rows_imported == in_table(reissue) == 25
    inside = set(
        Lsoa.objects.filter(partnership=hartlepool).values_list("code", flat=True)
    )
    assert first.rows_outside_area == sum(
        1
        for row in cleveland_rows
        if (code := row.split(",")[7]) and code not in inside
    )
    for batch in (durham, northumbria, second):
        batch.refresh_from_db()
        assert batch.rows_replaced == 0
        assert in_table(batch) == batch.rows_imported

    expected = {
        hartlepool: {first.pk: 120, reissue.pk: 25},
        north: {durham.pk: 124, northumbria.pk: 81},
        twin: {second.pk: 160},
    }
    for where, batches in expected.items():
        snapshot = rebuild_snapshot(where)
        assert snapshot.row_counts["police_street"] == sum(batches.values())
        assert {
            b["id"]: b["rows"]
            for b in snapshot.source_batches
            if b.get("kind") == "police_street"
        } == batches
        table = pq.read_table(snapshot.path / "police_street.parquet")
        # Rows with no location keep their place in the snapshot, LSOA blank.
        assert table.column("lsoa_code").null_count == sum(
            PoliceStreetRecord.objects.filter(batch_id=pk, lsoa_code=None).count()
            for pk in batches
        )
        assert table.column("lsoa_code").null_count > 0


def test_a_row_missing_from_a_batch_stops_the_snapshot(analyst, agency, tmp_path):
    hartlepool = partnership(agency, "hartlepool")
    batch = street(
        analyst,
        hartlepool,
        write_street_csv(tmp_path / "cleveland.csv", force_rows(CLEVELAND, MONTHS, 12)),
    )
    good = rebuild_snapshot(hartlepool)
    assert good.source_batches[0]["rows"] == 48
    # A row goes missing behind the pipeline's back.
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM sharing_policestreetrecord WHERE id = "
            "(SELECT min(id) FROM sharing_policestreetrecord WHERE batch_id = %s)",
            [batch.pk],
        )
    with pytest.raises(SnapshotIncomplete, match=rf"batch {batch.pk} .*47 of 48"):
        rebuild_snapshot(hartlepool)
    assert list(Snapshot.objects.filter(partnership=hartlepool)) == [good]
    assert ImportBatch.objects.get(pk=batch.pk).rows_replaced == 0
