"""Small-number suppression of every SNA table, charts from suppressed figures, the
static map, and spreadsheet-safe exports."""

from __future__ import annotations

import pytest

from svduty.analysis.charts import chart_specs, map_geojson, map_svg, to_svg
from svduty.analysis.sna import SnaOptions, compute_sna, parse_month
from svduty.analysis.snapshot import finish_folder, write_tables
from svduty.analysis.tables import WITHHELD, sna_tables
from tests.factories.analysis import grid_tables

VSO = "Violence and sexual offences"


@pytest.fixture
def result_and_folder(tmp_path):
    rows = [("2022-01", "E01000001", VSO)] * 12 + [("2022-01", "E01000002", VSO)] * 3
    rows += [("2022-02", "E01000003", "Robbery")]
    folder = tmp_path / "snap"
    write_tables(folder, grid_tables(street=rows))
    finish_folder(folder, source_batches=[])
    options = SnaOptions(
        period_from=parse_month("2022-01"), period_to=parse_month("2022-02")
    )
    return compute_sna(folder, options), folder


def test_counts_one_to_four_are_suppressed_with_their_rates(
    result_and_folder, settings
):
    settings.SUPPRESSION_THRESHOLD = 4
    result, _ = result_and_folder
    areas = {t.slug: t for t in sna_tables(result)}["areas"]
    rows = {row[0]: row for row in areas.display(suppressed=True)}
    assert rows["E01000001"][2] == 12
    assert rows["E01000001"][4] == 12.0
    assert rows["E01000002"][2] == "fewer than 5"
    assert rows["E01000002"][4] == WITHHELD
    assert rows["E01000003"][2] == "fewer than 5"
    assert rows["E01000004"][2] == 0  # zero discloses nothing about a person
    raw = {row[0]: row for row in areas.display(suppressed=False)}
    assert raw["E01000002"][2] == 3


def test_threshold_is_configurable(result_and_folder, settings):
    settings.SUPPRESSION_THRESHOLD = 2
    result, _ = result_and_folder
    kinds = {t.slug: t for t in sna_tables(result)}["kinds"]
    rows = {row[0]: row for row in kinds.display(suppressed=True)}
    assert rows["Robbery"][1] == "fewer than 3"
    assert rows["Robbery"][2] == WITHHELD
    assert rows[VSO][1] == 15


def test_every_table_has_a_definition_and_source(result_and_folder):
    result, _ = result_and_folder
    for table in sna_tables(result):
        assert table.definition and table.source, table.slug
        assert len(table.head) == len(table.rows[0]) if table.rows else True


def test_charts_from_suppressed_figures_leave_small_counts_out(result_and_folder):
    result, _ = result_and_folder
    tables = {t.slug: t for t in sna_tables(result)}
    specs = chart_specs(tables, suppressed=True)
    kinds = {v["label"]: v["value"] for v in specs["kinds"]["data"]["values"]}
    assert kinds[VSO] == 15
    assert kinds["Robbery"] is None
    svg = to_svg(specs["trend"])
    assert svg.startswith("<svg")


def test_map_geojson_and_static_svg(result_and_folder):
    result, folder = result_and_folder
    areas = {t.slug: t for t in sna_tables(result)}["areas"]
    geojson, legend = map_geojson(result, areas, str(folder), suppressed=True)
    assert len(geojson["features"]) == 12
    by_name = {f["properties"]["name"]: f["properties"] for f in geojson["features"]}
    withheld = next(p for n, p in by_name.items() if "E01000002" in n)
    assert withheld["value"] is None and withheld["value_label"] == WITHHELD
    svg = map_svg(geojson, legend, title="Map")
    assert svg.count("<path") == 12 and "<title>Map</title>" in svg
