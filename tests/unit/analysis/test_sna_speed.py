"""The SNA's per-process and per-snapshot caches (docs/sna.md section 5) give the
same answers as computing from scratch, from any thread."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from svduty.analysis import sna
from svduty.analysis.sna import SnaOptions, compute_sna, parse_month
from svduty.analysis.snapshot import finish_folder, write_tables
from tests.factories.analysis import grid_tables


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "snap"
    street = [
        ("2022-01", "E01000001", "Violence and sexual offences"),
        ("2022-01", "E01000001", "Robbery"),
        ("2022-02", "E01000002", "Burglary"),
        ("2022-02", None, "Violence and sexual offences"),
        ("2022-03", "E01099999", "Violence and sexual offences"),
        ("2022-03", "E01000007", "Possession of weapons"),
    ]
    write_tables(folder, grid_tables(street=street))
    finish_folder(folder, source_batches=[])
    return folder


def _options(start, end, **kwargs):
    return SnaOptions(
        period_from=parse_month(start),
        period_to=parse_month(end),
        partnership={"slug": "t", "name": "T"},
        **kwargs,
    )


def _fresh_process():
    sna._DATABASES.clear()
    sna._geometries.cache_clear()
    sna._neighbours.cache_clear()
    sna._gi_weights.cache_clear()


def _json(result) -> str:
    return json.dumps(result, sort_keys=True, default=str)


def test_counts_and_neighbours_are_kept_for_other_processes(folder):
    _fresh_process()
    result = compute_sna(folder, _options("2022-01", "2022-03"))
    assert result["records"] == {"in_area": 4, "outside_area": 1, "no_location": 1}
    assert result["serious_violence"]["count"] == 3
    first = _json(result)
    assert (folder / "cache" / "street_agg.parquet").exists()
    assert list((folder / "cache").glob("neighbours-*.json"))
    # Another process reads them back and gets the same answer.
    _fresh_process()
    assert _json(compute_sna(folder, _options("2022-01", "2022-03"))) == first
    # A half-written counts file is counted again, not trusted.
    (folder / "cache" / "street_agg.parquet").write_bytes(b"PAR1 broken")
    _fresh_process()
    assert _json(compute_sna(folder, _options("2022-01", "2022-03"))) == first


def test_threads_share_the_snapshot_database(folder):
    _fresh_process()
    periods = [("2022-01", "2022-03"), ("2022-02", "2022-02"), ("2022-01", "2022-01")]
    expected = [_json(compute_sna(folder, _options(*p))) for p in periods]
    with ThreadPoolExecutor(max_workers=6) as pool:
        got = list(
            pool.map(lambda p: _json(compute_sna(folder, _options(*p))), periods * 4)
        )
    assert got == expected * 4


def test_the_snapshot_build_makes_the_map_geometries(folder, monkeypatch):
    """Issue 16, point 8: a report nobody has asked for yet must not wait for the
    map's boundaries to be simplified, so building the snapshot does it; a request
    only reads them."""
    import pyarrow.parquet as pq

    from svduty.analysis import charts

    saved = json.loads((folder / charts.MAP_GEOMETRIES).read_text())
    lsoas = pq.read_table(folder / "lsoa.parquet", columns=["lsoa_code"])
    assert set(saved) == set(lsoas.column("lsoa_code").to_pylist())
    assert saved["E01000001"]["type"] in {"Polygon", "MultiPolygon"}

    def must_not_simplify(_folder):
        raise AssertionError("a request simplified the boundaries again")

    monkeypatch.setattr(charts, "write_map_geometries", must_not_simplify)
    charts.simplified_geometries.cache_clear()
    assert charts.simplified_geometries(str(folder)) == saved
