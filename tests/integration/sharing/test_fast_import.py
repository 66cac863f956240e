"""The police.uk street-level fast path gives exactly what the Python reader gives.

Every file is imported twice, once with the fast path and once without it, into
two partnerships, and the batches and rows are compared. Problems are always
found and worded by the reader (the fast path declines), so they must match the
reader's own list row for row.
"""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from svduty.sharing import imports
from svduty.sharing.imports import run_import
from svduty.sharing.models import BatchStatus, ImportBatch, PoliceStreetRecord
from svduty.sharing.readers import FileProblem, get_reader
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.factories.sharing import POLICE_STREET_HEADER, street_row, write_street_csv

from .conftest import STREET_2022_01, STREET_2022_01_ROWS

VALUES = (
    "crime_id",
    "month",
    "reported_by",
    "falls_within",
    "longitude",
    "latitude",
    "location",
    "lsoa_code",
    "lsoa_name",
    "crime_type",
    "last_outcome",
    "context",
)
DECLINED = "fast path declined"
SINGLE_DECLINED = "single-write path declined"


@pytest.fixture
def other(partnership, council):
    twin = PartnershipFactory(slug="fast-twin", name="Twin for the reader path")
    MemberFactory(partnership=twin, agency=council)
    return twin


def _both(analyst, partnership, other, path, monkeypatch, caplog):
    """Import with the fast path into one partnership, without into the other."""
    with caplog.at_level(logging.INFO, logger="svduty.sharing.imports"):
        fast = run_import(
            by=analyst, partnership=partnership, kind="police_street", path=path
        )
    declined = DECLINED in caplog.text
    monkeypatch.setattr(imports, "FAST_PATH", False)
    slow = run_import(by=analyst, partnership=other, kind="police_street", path=path)
    monkeypatch.setattr(imports, "FAST_PATH", True)
    return fast, slow, declined


def _rows(batch):
    return list(
        PoliceStreetRecord.objects.filter(batch=batch)
        .order_by("id")
        .values_list(*VALUES)
    )


def _same_outcome(fast, slow):
    for field in (
        "status",
        "rows_imported",
        "rows_total",
        "progress_rows",
        "rows_outside_area",
        "periods",
        "facts",
        "problems",
        "problems_not_shown",
        "message",
    ):
        assert getattr(fast, field) == getattr(slow, field), field


def _reader_problems(path):
    reader = get_reader("police_street")
    try:
        for _ in reader.read(path):
            pass
    except FileProblem as problem:
        return [(problem.row, problem.column, problem.message)]
    return [(p.row, p.column, p.message) for p in reader.result.problems]


def _staging_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relname LIKE 'sharing_fast_%%'"
        )
        return cursor.fetchone()[0]


@pytest.fixture(params=["single-write", "single-write-csv", "staging"])
def fast_kind(request, monkeypatch):
    """Every good-file test runs with the single-write path (binary COPY, and CSV
    as where pgpq is not installed) and without it."""
    from svduty.sharing.fastpath import single_write

    monkeypatch.setattr(imports, "SINGLE_WRITE", request.param != "staging")
    monkeypatch.setattr(
        single_write, "BINARY", single_write.BINARY and request.param == "single-write"
    )
    return request.param


def test_real_month_imports_identically_through_the_fast_path(
    fast_kind, analyst, partnership, other, monkeypatch, caplog
):
    fast, slow, declined = _both(
        analyst, partnership, other, STREET_2022_01, monkeypatch, caplog
    )
    assert not declined
    assert SINGLE_DECLINED not in caplog.text
    assert fast.status == BatchStatus.SUCCEEDED
    assert fast.rows_imported == STREET_2022_01_ROWS
    _same_outcome(fast, slow)
    assert _rows(fast) == _rows(slow)
    assert _staging_tables() == 0


def _good(n=30):
    return [street_row(crime_id=f"ok{i}") for i in range(n)]


def _bytes_file(path, lines: list[bytes]):
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return path


BAD_FILES = {
    "bad month": lambda p: write_street_csv(
        p, [*_good(3), street_row(month="2022-13"), *_good(3)]
    ),
    "bad longitude": lambda p: write_street_csv(
        p, [*_good(3), street_row(lon="-1.2x"), *_good(3)]
    ),
    "out-of-range latitude": lambda p: write_street_csv(
        p, [*_good(3), street_row(lat="95.0"), *_good(3)]
    ),
    "only one coordinate": lambda p: write_street_csv(
        p, [*_good(3), street_row(lat=""), *_good(3)]
    ),
    "unknown crime type": lambda p: write_street_csv(
        p, [*_good(3), street_row(crime_type="Knife crime"), *_good(3)]
    ),
    "bad LSOA code": lambda p: write_street_csv(
        p, [*_good(3), street_row(lsoa="E0101194"), *_good(3)]
    ),
    "blank force": lambda p: write_street_csv(
        p, [*_good(3), street_row(force=""), *_good(3)]
    ),
    "many problems, capped": lambda p: write_street_csv(
        p, [street_row(month="2022-13", lon="x") for _ in range(300)]
    ),
    "wrong column count at row 5": lambda p: write_street_csv(
        p, [*_good(3), street_row() + ",extra", *_good(3)]
    ),
    "too few columns at row 5": lambda p: write_street_csv(
        p, [*_good(3), street_row().rsplit(",", 1)[0], *_good(3)]
    ),
    "non-UTF-8 bytes at row 7": lambda p: _bytes_file(
        p,
        [POLICE_STREET_HEADER.encode()]
        + [r.encode() for r in _good(5)]
        + [street_row().replace("X Street", "X Stra\xdfe").encode("latin-1")]
        + [r.encode() for r in _good(3)],
    ),
    "empty file": lambda p: p.write_bytes(b"") and p or p,
    "header only": lambda p: write_street_csv(p, []),
    "wrong headers": lambda p: _bytes_file(
        p, [b"Crime reference,Month,Force", b"X,2022-01,Cleveland"]
    ),
    "bad value at the last row": lambda p: write_street_csv(
        p, [*_good(12_000), street_row(lsoa="nowhere")]
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_give_the_readers_problems_and_leave_nothing(
    case, analyst, partnership, other, tmp_path, monkeypatch, caplog
):
    path = BAD_FILES[case](tmp_path / "bad.csv")
    fast, slow, declined = _both(analyst, partnership, other, path, monkeypatch, caplog)
    assert declined
    assert fast.status == BatchStatus.FAILED
    _same_outcome(fast, slow)
    expected = _reader_problems(path)
    assert [(p["row"], p["column"], p["message"]) for p in fast.problems] == expected
    assert PoliceStreetRecord.objects.count() == 0
    assert _staging_tables() == 0


def test_problem_rows_and_columns_are_where_the_file_has_them(
    analyst, partnership, other, tmp_path, monkeypatch, caplog
):
    path = BAD_FILES["wrong column count at row 5"](tmp_path / "bad.csv")
    fast, _, _ = _both(analyst, partnership, other, path, monkeypatch, caplog)
    assert [(p["row"], p["column"]) for p in fast.problems] == [(5, None)]
    path = BAD_FILES["bad month"](tmp_path / "month.csv")
    fast, _, _ = _both(analyst, partnership, other, path, monkeypatch, caplog)
    assert [(p["row"], p["column"]) for p in fast.problems] == [(5, "Month")]


def _tricky_file(path):
    """Valid, but unusual in ways where SQL and Python could differ."""
    header = (
        "\ufeffLSOA code,Crime ID,month,Reported by,Falls within,Longitude,"
        "Latitude,Location,LSOA name,Crime type,Last outcome category,Context"
    )
    rows = [
        " e01011954 ,c1, 2022-01 ,Cleveland Police,Cleveland Police,"
        '"-1.5",+54.,"On or near ""The"" Street, North",Hartlepool 001A,'
        "  violence AND sexual offences ,, ",
        ",,2022-01,,Cleveland Police,,,,,Anti-social behaviour,,",
        "E01011954,c3,2022-01,Cleveland Police,Cleveland Police,.5,-0,"
        "On or near X,Hartlepool 001A,BURGLARY,Under investigation,Note",
        "E01011954,c4,2022-02,Cleveland Police,Durham Constabulary,180,90,"
        '"",Hartlepool 001A,Robbery,"",""',
    ]
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode())
    return path


def test_unusual_but_valid_file_imports_identically(
    fast_kind, analyst, partnership, other, tmp_path, monkeypatch, caplog
):
    path = _tricky_file(tmp_path / "tricky.csv")
    fast, slow, declined = _both(analyst, partnership, other, path, monkeypatch, caplog)
    assert not declined
    assert SINGLE_DECLINED not in caplog.text
    assert fast.status == BatchStatus.SUCCEEDED, fast.problems
    _same_outcome(fast, slow)
    assert _rows(fast) == _rows(slow)
    assert ("c1", "E01011954", "Violence and sexual offences") in [
        (r[0], r[7], r[9]) for r in _rows(fast)
    ]


@pytest.mark.parametrize(
    "odd",
    [
        "tab\tinside",
        "no-break\u00a0space ",
        '"line\r\nbreak"',
        'mid"quote"',
    ],
)
def test_white_space_and_quoting_python_reads_differently_use_the_reader(
    odd, analyst, partnership, other, tmp_path, monkeypatch, caplog
):
    row = street_row().replace("On or near X Street", odd)
    path = write_street_csv(tmp_path / "odd.csv", [*_good(3), row])
    fast, slow, declined = _both(analyst, partnership, other, path, monkeypatch, caplog)
    assert declined
    _same_outcome(fast, slow)
    assert _rows(fast) == _rows(slow)


def test_fast_path_supersedes_and_is_idempotent(
    fast_kind, analyst, partnership, tmp_path, caplog
):
    old = run_import(
        by=analyst,
        partnership=partnership,
        kind="police_street",
        path=write_street_csv(tmp_path / "old.csv", _good(4)),
    )
    with caplog.at_level(logging.INFO, logger="svduty.sharing.imports"):
        new = run_import(
            by=analyst,
            partnership=partnership,
            kind="police_street",
            path=write_street_csv(tmp_path / "new.csv", _good(6)),
        )
        again = run_import(
            by=analyst,
            partnership=partnership,
            kind="police_street",
            path=tmp_path / "new.csv",
        )
    assert DECLINED not in caplog.text
    assert SINGLE_DECLINED not in caplog.text
    assert new.status == BatchStatus.SUCCEEDED
    assert "replace 4 rows from 1 earlier file" in new.message
    old.refresh_from_db()
    assert old.superseded_by == new
    assert again.status == BatchStatus.DUPLICATE
    assert PoliceStreetRecord.objects.count() == 6
    assert ImportBatch.objects.get(pk=new.pk).progress_rows == 6


def test_single_write_declines_after_earlier_batches_were_copied(
    analyst, partnership, other, tmp_path, monkeypatch, caplog
):
    """Small batches: the bad row comes after several COPYed ones; all rolled back."""
    from svduty.sharing.fastpath import single_write

    monkeypatch.setattr(single_write, "BATCH_BYTES", 4096)
    path = write_street_csv(
        tmp_path / "late.csv", [*_good(2_000), street_row(lat="95.0"), *_good(5)]
    )
    fast, slow, declined = _both(analyst, partnership, other, path, monkeypatch, caplog)
    assert SINGLE_DECLINED in caplog.text
    assert declined
    _same_outcome(fast, slow)
    assert PoliceStreetRecord.objects.count() == 0
    good = write_street_csv(tmp_path / "good.csv", _good(2_000))
    caplog.clear()
    fast, slow, declined = _both(analyst, partnership, other, good, monkeypatch, caplog)
    assert not declined and SINGLE_DECLINED not in caplog.text
    _same_outcome(fast, slow)
    assert _rows(fast) == _rows(slow)


def test_a_value_too_long_for_its_column_falls_back(
    analyst, partnership, other, tmp_path, monkeypatch, caplog
):
    row = street_row().replace("On or near X Street", "x" * 301)
    path = write_street_csv(tmp_path / "long.csv", [*_good(3), row])
    fast, slow, declined = _both(analyst, partnership, other, path, monkeypatch, caplog)
    assert SINGLE_DECLINED in caplog.text
    assert declined
    assert fast.status == BatchStatus.FAILED
    _same_outcome(fast, slow)
    assert PoliceStreetRecord.objects.count() == 0


def test_a_blank_line_which_the_reader_skips_uses_the_reader(
    analyst, partnership, other, tmp_path, monkeypatch, caplog
):
    lines = [POLICE_STREET_HEADER.encode(), *(r.encode() for r in _good(3))]
    path = _bytes_file(tmp_path / "blank.csv", [*lines, b"", *lines[1:]])
    fast, slow, declined = _both(analyst, partnership, other, path, monkeypatch, caplog)
    assert declined
    _same_outcome(fast, slow)
    assert _rows(fast) == _rows(slow)


def test_single_write_reports_progress_batch_by_batch(
    analyst, partnership, tmp_path, monkeypatch, caplog
):
    from svduty.sharing.fastpath import single_write

    monkeypatch.setattr(single_write, "BATCH_BYTES", 4096)
    seen = []
    with caplog.at_level(logging.INFO, logger="svduty.sharing.imports"):
        batch = run_import(
            by=analyst,
            partnership=partnership,
            kind="police_street",
            path=write_street_csv(tmp_path / "many.csv", _good(500)),
            progress=lambda b: seen.append(b.progress_rows),
        )
    assert SINGLE_DECLINED not in caplog.text
    assert batch.status == BatchStatus.SUCCEEDED
    assert len(seen) > 3 and seen == sorted(seen) and seen[-1] == 500
