"""The SNA pages write their tables in Python (templatetags/sna.py) for speed; the
markup must stay exactly that of the shared includes (tables, charts, maps)."""

from __future__ import annotations

import re

from django.template import Context, Template
from django.template.loader import get_template


def _normal(html: str) -> str:
    """Whitespace-normalised markup, without the SNA pages' scroll boxes around
    tables (the only difference from the shared includes)."""
    html = re.sub(
        r'<div class="app-table-scroll[^>]*>|</div><!--/app-table-scroll-->',
        "",
        str(html),
    )
    html = html.replace(" app-map__row", "")
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


HEAD = ["Area", "Records", "Rate", "Note"]
ROWS = [
    ["Hartlepool 001A <b>", 1234567, 2.5, None],
    ["Middlesbrough & Co", "fewer than 5", "withheld (small number)", "x < y"],
    [None, 0, 0.0, ""],
]


def test_sna_table_is_includes_table():
    ours = Template('{% load sna %}{% sna_table caption head rows "s" %}').render(
        Context({"caption": "Records & rates", "head": HEAD, "rows": ROWS})
    )
    theirs = get_template("includes/table.html").render(
        {"caption": "Records & rates", "caption_size": "s", "head": HEAD, "rows": ROWS}
    )
    assert _normal(ours) == _normal(theirs)
    assert "Hartlepool 001A &lt;b&gt;" in ours
    assert "1,234,567" in ours


def test_sna_chart_is_includes_chart():
    context = {
        "chart_id": "chart-kinds",
        "title": "Serious violence <by> kind",
        "spec": {"mark": "bar", "data": {"values": [{"label": "</script>"}]}},
        "head": HEAD,
        "rows": ROWS,
        "definition": "What it means",
        "source": "police.uk",
        "snapshot": "Snapshot 3 (abc)",
    }
    ours = get_template("analysis/_chart.html").render(context)
    theirs = get_template("includes/chart.html").render(
        {**context, "heading_level": "3"}
    )
    assert _normal(ours) == _normal(theirs)


def test_sna_map_is_includes_map():
    features = [
        {"properties": {"name": "A & B (E01)", "value": 1234.5, "band": 5}},
        {"properties": {"name": "C (E02)", "value": None, "band": None}},
        {
            "properties": {
                "name": "D (E03)",
                "value": None,
                "band": None,
                "value_label": "withheld (small number)",
            }
        },
    ]
    for feature in features:
        feature.update(
            type="Feature", geometry={"type": "Point", "coordinates": [0, 0]}
        )
    context = {
        "map_id": "sna-map",
        "title": "Rate by LSOA",
        "heading_level": "3",
        "geojson": {"type": "FeatureCollection", "features": features},
        "legend": [{"band": 1, "label": "0 to 1"}],
        "value_label": "Per 1,000 residents",
        "area_label": "Neighbourhood (LSOA)",
        "definition": "d",
        "source": "s",
        "snapshot": "Snapshot 1",
        "attribution": "Contains OS data",
    }
    ours = get_template("analysis/_map.html").render(context)
    theirs = get_template("includes/map.html").render(context)
    assert _normal(ours) == _normal(theirs)
    assert "1,234.5" in ours


def test_fast_numbers_read_as_govuk_number():
    from svduty.analysis.templatetags.sna import _number
    from svduty.core.templatetags.govuk import govuk_number

    values = [0, 1, -1, 999, 1000, -1000, 1234567, 10**12, True, 0.0, -0.0, 2.5]
    values += [-2.5, 1234.5, 1234567.25, 0.1 + 0.2, 1e-05, 1e20, 123456789.123]
    values += [float("nan"), float("inf"), -float("inf"), 100.0, 0.001]
    for value in values:
        assert _number(value) == str(govuk_number(value)), value


def test_geojson_script_is_json_script(tmp_path):
    from django.utils.html import json_script

    from svduty.analysis.charts import geojson_script, map_geojson
    from svduty.analysis.snapshot import finish_folder, write_tables
    from svduty.analysis.tables import COUNT, NUMBER, RATE, TEXT, Table
    from tests.factories.analysis import grid_tables

    folder = tmp_path / "snap"
    write_tables(folder, grid_tables())
    finish_folder(folder, source_batches=[])
    codes = [f"E010000{n:02d}" for n in range(1, 13)]
    table = Table(
        "areas",
        "Serious violence by neighbourhood (LSOA)",
        [("LSOA", TEXT), ("Name", TEXT), ("N", COUNT), ("P", NUMBER), ("R", RATE)],
        [
            [code, f"Area <{n}> & \u00e9", n, 1000, n / 1000 * 1000 or None]
            for n, code in enumerate(codes)
        ],
        "d",
        "s",
        {4: (2,)},
    )
    for suppressed in (False, True):
        geojson, _ = map_geojson({}, table, str(folder), suppressed=suppressed)
        assert len(geojson["features"]) == 12
        ours = geojson_script(geojson, "sna-map-geojson", str(folder))
        assert ours == json_script(geojson, "sna-map-geojson")
        assert "\\u003C" in ours
    # Anything not built from the snapshot's geometries goes through json_script.
    other = {"type": "FeatureCollection", "features": [dict(geojson["features"][0])]}
    other["features"][0]["geometry"] = {"type": "Point", "coordinates": [1, 2]}
    assert geojson_script(other, "m", str(folder)) == json_script(other, "m")
