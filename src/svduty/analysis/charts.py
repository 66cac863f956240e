"""Charts (Vega-Lite specs as plain dicts) and maps for the SNA (architecture D5).

The same spec is drawn by vega-embed in the page and rendered to SVG on the server by
vl-convert for the PDF, which needs no network. Specs built for outputs that leave the
partnership use suppressed figures: a suppressed count is left out of the chart (the
table beside it says "fewer than N").

Maps: a GeoJSON FeatureCollection for `includes/map.html` (Leaflet), and a static SVG
of the same LSOA polygons for the PDF.
"""

from __future__ import annotations

import html
import json
import math
import os
import threading
from collections.abc import Mapping
from pathlib import Path

import shapely
from django.utils.safestring import mark_safe

from svduty.analysis.cache import BoundedLRU, memoized
from svduty.analysis.tables import COUNT, Table

# GOV.UK colours, light to dark, for five bands (blue scale).
BANDS = ("#d2e2f1", "#a6c4e3", "#5694ca", "#1d70b8", "#003078")
NO_DATA = "#f3f2f1"


def _values(table: Table, *, suppressed: bool, label: int, value: int) -> list[dict]:
    rows = table.display(suppressed=suppressed)
    values = []
    for row in rows:
        v = row[value]
        values.append(
            {
                "label": str(row[label]),
                "value": v if isinstance(v, (int, float)) else None,
            }
        )
    return values


VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
#: What altair's `Chart.to_dict()` adds to every chart; kept so the specs are the same.
_CONFIG = {"view": {"continuousWidth": 300, "continuousHeight": 300}}


def _chart(values: list[dict], mark: dict, encoding: dict, *, suppressed: bool) -> dict:
    """A Vega-Lite spec as a plain dict.

    Built by hand rather than through altair: altair validates every chart against
    the whole Vega-Lite JSON schema, which cost about 40 ms a chart (a third of a
    dashboard's first view). `tests/unit/analysis/test_sna_charts.py` checks the
    specs are exactly what altair would give."""
    return {
        "config": {"view": dict(_CONFIG["view"])},
        "data": {"values": values},
        "mark": mark,
        "encoding": encoding,
        "height": 260,
        "width": "container" if not suppressed else 520,
        "$schema": VEGA_LITE_SCHEMA,
    }


def bar_spec(
    table: Table,
    *,
    suppressed: bool,
    label: int = 0,
    value: int = 1,
    title_x: str = "",
    title_y: str = "Records",
    sort: bool = False,
) -> dict:
    values = _values(table, suppressed=suppressed, label=label, value=value)
    label_title = table.columns[label][0]
    encoding = {
        "tooltip": [
            {"field": "label", "title": label_title, "type": "nominal"},
            {
                "field": "value",
                "format": ",",
                "title": title_y,
                "type": "quantitative",
            },
        ],
        "x": {
            "axis": {"labelAngle": -40},
            "field": "label",
            "sort": "-y" if sort else None,
            "title": title_x or label_title,
            "type": "nominal",
        },
        "y": {"field": "value", "title": title_y, "type": "quantitative"},
    }
    return _chart(
        values, {"type": "bar", "color": "#1d70b8"}, encoding, suppressed=suppressed
    )


def line_spec(
    table: Table,
    *,
    suppressed: bool,
    series: list[tuple[int, str]],
    label: int = 0,
    title_y: str = "Records",
) -> dict:
    rows = table.display(suppressed=suppressed)
    values = []
    for row in rows:
        for index, name in series:
            v = row[index]
            values.append(
                {
                    "month": row[label],
                    "series": name,
                    "value": v if isinstance(v, (int, float)) else None,
                }
            )
    encoding = {
        "color": {
            "field": "series",
            "legend": {"orient": "bottom"},
            "scale": {"range": ["#1d70b8", "#d4351c", "#00703c"]},
            "title": None,
            "type": "nominal",
        },
        "strokeDash": {"field": "series", "legend": None, "type": "nominal"},
        "tooltip": [
            {"field": "month", "type": "ordinal"},
            {"field": "series", "type": "nominal"},
            {"field": "value", "format": ",", "type": "quantitative"},
        ],
        "x": {
            "axis": {"labelAngle": -40},
            "field": "month",
            "title": "Month",
            "type": "ordinal",
        },
        "y": {"field": "value", "title": title_y, "type": "quantitative"},
    }
    return _chart(
        values, {"type": "line", "point": True}, encoding, suppressed=suppressed
    )


def chart_specs(tables: dict[str, Table], *, suppressed: bool) -> dict[str, dict]:
    specs = {}
    if "trend" in tables:
        specs["trend"] = line_spec(
            tables["trend"],
            suppressed=suppressed,
            series=[(1, "Serious violence records")],
        )
    if "kinds" in tables:
        specs["kinds"] = bar_spec(tables["kinds"], suppressed=suppressed)
    if "deprivation" in tables:
        specs["deprivation"] = bar_spec(
            tables["deprivation"],
            suppressed=suppressed,
            value=4,
            title_x="IMD decile (1 = most deprived)",
            title_y="Rate per 1,000 residents",
        )
    for key in ("day_crime_extract", "hour_crime_extract", "day_istv", "hour_istv"):
        if key in tables:
            specs[key] = bar_spec(tables[key], suppressed=suppressed)
    if "ed_vs_police" in tables:
        specs["ed_vs_police"] = line_spec(
            tables["ed_vs_police"],
            suppressed=suppressed,
            series=[
                (1, "ED assault attendances"),
                (2, "Police-recorded serious violence"),
            ],
        )
    return specs


def to_svg(spec: dict) -> str:
    """Render a Vega-Lite spec to SVG on the server (no network)."""
    import vl_convert

    spec = dict(spec)
    if spec.get("width") == "container":
        spec["width"] = 520
    return vl_convert.vegalite_to_svg(spec)


# --- Maps -----------------------------------------------------------------------------


def _bands(values: list[float | None]) -> tuple[list[float], list[dict]]:
    """Quintile breaks of the non-missing values, and the legend."""
    known = sorted(v for v in values if v is not None)
    if not known:
        return [], [{"band": None, "label": "No data"}]
    breaks = [
        known[min(len(known) - 1, math.floor(len(known) * q / 5))] for q in range(1, 5)
    ]
    edges = [known[0], *breaks, known[-1]]
    legend = [
        {"band": i + 1, "label": f"{edges[i]:,.1f} to {edges[i + 1]:,.1f}"}
        for i in range(5)
    ]
    legend.append({"band": None, "label": "No data or withheld"})
    return breaks, legend


def _band(value, breaks) -> int | None:
    if value is None or not breaks:
        return None
    return 1 + sum(1 for b in breaks if value > b)


@memoized(16)
def simplified_geometries(folder: str) -> dict[str, dict]:
    """LSOA code -> simplified GeoJSON geometry, per snapshot (and process), read
    from the snapshot's `cache/map_geometries.json`, which the snapshot build writes
    (`write_map_geometries`); a snapshot built before that is simplified here once
    and the file written for the other processes."""
    saved = Path(folder) / MAP_GEOMETRIES
    try:
        return json.loads(saved.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return write_map_geometries(Path(folder))


#: Where a snapshot keeps its simplified map geometries.
MAP_GEOMETRIES = "cache/map_geometries.json"


def write_map_geometries(folder: Path) -> dict[str, dict]:
    """Simplify the snapshot's LSOA boundaries for maps and keep them in its
    `cache/map_geometries.json`: part of building a snapshot, so that no request
    (a dashboard map, a report nobody has asked for yet) pays for it.

    Simplified with a 0.0002 degree (about 15 to 20 m) tolerance and coordinates
    rounded to 4 decimal places (about 10 m): plenty for a neighbourhood map, and it
    keeps the page small since the map data is embedded in it."""
    import duckdb

    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT lsoa_code, geometry FROM read_parquet(?)",
            [f"{folder}/lsoa.parquet"],
        ).fetchall()
    finally:
        con.close()
    out = {}
    for code, text in rows:
        geometry = shapely.from_geojson(text)
        simple = shapely.set_precision(
            shapely.simplify(geometry, 0.0002, preserve_topology=True), 0.0001
        )
        out[code] = _rounded(json.loads(shapely.to_geojson(simple)))
    # Written whole, then renamed, so that a reader never sees half a file.
    saved = folder / MAP_GEOMETRIES
    try:
        saved.parent.mkdir(exist_ok=True)
        partial = saved.with_name(
            f"map_geometries.{os.getpid()}.{threading.get_ident()}"
        )
        partial.write_text(json.dumps(out), encoding="utf-8")
        os.replace(partial, saved)
    except OSError:
        pass
    return out


def _rounded(value):
    """Round every coordinate to 4 decimal places (floating-point noise would
    otherwise print 17 digits each)."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return value


def map_geojson(
    result: Mapping[str, object], table: Table, folder: str, *, suppressed: bool
) -> tuple[dict, list]:
    """Rate per 1,000 by LSOA as a FeatureCollection for includes/map.html (from the
    SNA result's per-LSOA `table`; `result` itself is not read)."""
    geometries = simplified_geometries(folder)
    rows = table.display(suppressed=suppressed)
    values = [row[4] if isinstance(row[4], (int, float)) else None for row in rows]
    breaks, legend = _bands(values)
    features = []
    for row, value in zip(rows, values, strict=True):
        code = row[0]
        if code not in geometries:
            continue
        properties = {
            "name": f"{row[1]} ({code})",
            "value": round(value, 1) if value is not None else None,
            "band": _band(value, breaks),
        }
        if value is None and isinstance(row[4], str):
            properties["value_label"] = row[4]
        features.append(
            {"type": "Feature", "properties": properties, "geometry": geometries[code]}
        )
    return {"type": "FeatureCollection", "features": features}, legend


_GEOMETRY_TEXT: BoundedLRU[tuple[dict, dict[int, str]]] = BoundedLRU(16)


def _geometry_json(folder: str) -> dict[int, str]:
    """id() of each cached simplified geometry of the snapshot -> its JSON text
    (numbers only: nothing to escape in a script element). The geometries are
    held here with their texts, so their ids cannot be reused; a fresh set from
    simplified_geometries gets fresh texts."""
    geometries = simplified_geometries(folder)
    held = _GEOMETRY_TEXT.get(folder)
    if held is None or held[0] is not geometries:
        held = (geometries, {id(g): json.dumps(g) for g in geometries.values()})
        _GEOMETRY_TEXT.put(folder, held)
    return held[1]


_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def geojson_script(geojson: dict, element_id: str, folder: str) -> str:
    """`json_script(geojson, element_id)` for map_geojson's output, with each LSOA's
    geometry text made once per snapshot instead of encoding ~330 KB of coordinates
    on every new view. The same bytes (test_sna_render checks); anything else goes
    through json_script."""
    from django.utils.html import conditional_escape, json_script

    texts = _geometry_json(folder)
    parts = []
    for feature in geojson["features"]:
        geometry = texts.get(id(feature["geometry"]))
        if geometry is None or set(feature) != {"type", "properties", "geometry"}:
            return json_script(geojson, element_id)
        properties = json.dumps(feature["properties"]).translate(_SCRIPT_ESCAPES)
        parts.append(
            f'{{"type": "Feature", "properties": {properties}, "geometry": {geometry}}}'
        )
    body = '{"type": "FeatureCollection", "features": [' + ", ".join(parts) + "]}"
    return mark_safe(  # noqa: S308 - escaped as json_script does
        f'<script id="{conditional_escape(element_id)}" type="application/json">'
        f"{body}</script>"
    )


def map_svg(geojson: dict, legend: list[dict], *, title: str, width: int = 520) -> str:
    """A static SVG choropleth of the LSOA polygons (for the PDF)."""
    xs, ys = [], []
    for feature in geojson["features"]:
        for x, y in _coords(feature["geometry"]):
            xs.append(x)
            ys.append(y)
    if not xs:
        return ""
    mid_lat = math.radians((min(ys) + max(ys)) / 2)
    kx = math.cos(mid_lat)
    span_x = (max(xs) - min(xs)) * kx or 1
    span_y = (max(ys) - min(ys)) or 1
    scale = width / span_x
    height = int(span_y * scale) + 1
    x0, y1 = min(xs), max(ys)

    def point(x, y):
        return f"{(x - x0) * kx * scale:.1f},{(y1 - y) * scale:.1f}"

    paths = []
    for feature in geojson["features"]:
        band = feature["properties"]["band"]
        fill = BANDS[band - 1] if band else NO_DATA
        d = " ".join(
            "M" + " L".join(point(x, y) for x, y in ring) + " Z"
            for ring in _rings(feature["geometry"])
        )
        paths.append(
            f'<path d="{d}" fill="{fill}" stroke="#505a5f" stroke-width="0.3"/>'
        )
    legend_items = []
    for index, item in enumerate(legend):
        fill = BANDS[item["band"] - 1] if item["band"] else NO_DATA
        y = height + 14 + index * 16
        legend_items.append(
            f'<rect x="0" y="{y - 10}" width="14" height="12" fill="{fill}" stroke="#505a5f" stroke-width="0.5"/>'  # noqa: E501
            f'<text x="20" y="{y}" font-size="10" font-family="Liberation Sans, Arial, sans-serif">{html.escape(item["label"])}</text>'  # noqa: E501
        )
    total_height = height + 20 + len(legend) * 16
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_height}" '  # noqa: E501
        f'viewBox="0 0 {width} {total_height}" role="img" aria-label="{html.escape(title)}">'  # noqa: E501
        f"<title>{html.escape(title)}</title>"
        + "".join(paths)
        + "".join(legend_items)
        + "</svg>"
    )


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def _coords(geometry: dict):
    for ring in _rings(geometry):
        yield from ring


__all__ = ["COUNT", "chart_specs", "map_geojson", "map_svg", "to_svg"]
