"""The dashboard's figures, rendered once per snapshot and filters and cached.

The rendering lives here rather than in `views` so that the pieces that pre-compute a
new snapshot's likeliest views (`warm`, run by the `import_succeeded` receiver) do not
reach up into the views module; `snapshot` and `service` render nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .cache import BoundedLRU
from .charts import chart_specs, geojson_script, map_geojson
from .models import Snapshot
from .service import (
    default_period,
    definition_for,
    sna_for,
    snapshot_areas,
    snapshot_cached,
)
from .sna import SnaError, month_label
from .tables import Table, sna_tables

SECTIONS = [
    ("kinds", "Kinds and volume"),
    ("trend", "Trend"),
    ("time", "Time of day and day of week"),
    ("where", "Where: map and neighbourhoods"),
    ("hotspots", "Hot and cold spots"),
    ("concentration", "Concentration"),
    ("deprivation", "Deprivation"),
    ("who", "Who is affected"),
    ("disproportionality", "Disproportionality"),
    ("success", "Home Office success measures"),
    ("harm", "Harm"),
    ("ed", "Emergency departments and police"),
]
BOUNDARY_ATTRIBUTION = (
    "Contains National Statistics data © Crown copyright and database right. "
    "Contains OS data © Crown copyright and database right."
)


SECTION_KEYS = {key for key, _ in SECTIONS}
DEFAULT_SECTION = SECTIONS[0][0]

#: Plain-words definitions of the tables whose method is a formula. The formula (the
#: method text from the SNA) stays one click away, behind a details element.
PLAIN_DEFINITIONS = {
    "areas": "Serious violence records in each neighbourhood (LSOA) in the period, "
    "and the same per 1,000 people who live there, so that neighbourhoods of "
    "different sizes can be compared. The last columns say whether the "
    "neighbourhood is a hot or cold spot.",
    "hotspots": "A hot spot is a neighbourhood that, together with the "
    "neighbourhoods next to it, has much more serious violence than the area as a "
    "whole; a cold spot much less. Only differences too large to be chance are "
    "shown (allowing for testing every neighbourhood at once).",
    "concentration": "How much of the serious violence happens in the busiest few "
    "neighbourhoods. The Gini coefficient is 0 when every neighbourhood has the same "
    "number and close to 1 when nearly all of it is in one place.",
    "trend": "Serious violence each month, and per day so that short and long "
    "months compare, with a three-month average to smooth out one-off months.",
    "disproportionality_victim": "How many times more (or less) often people of "
    "each ethnic group are victims of serious violence than White residents, "
    "allowing for how many of each group live in the area.",
    "disproportionality_suspect": "How many times more (or less) often people of "
    "each ethnic group are recorded as suspects than White residents, allowing for "
    "how many of each group live in the area.",
    "disproportionality_stop_search": "How many times more (or less) often people "
    "of each ethnic group are stopped and searched than White residents, allowing "
    "for how many of each group live in the area.",
    "harm": "Each crime counted by how much harm it does rather than as one: a "
    "robbery counts for more than a shoplifting.",
    "ed_vs_police": "Assaults seen at emergency departments beside serious violence "
    "recorded by the police, month by month. The gap is an estimate of violence the "
    "police do not hear about.",
    "records": "Every police-recorded crime in the period, by whether it happened "
    "inside the selected area, outside it, or has no location.",
}

#: Charts drawn for these tables (the key of charts.chart_specs).
CHARTED = {
    "trend",
    "kinds",
    "deprivation",
    "day_crime_extract",
    "hour_crime_extract",
    "day_istv",
    "hour_istv",
    "ed_vs_police",
}


#: On the dashboard the per-LSOA table shows the busiest neighbourhoods only (its
#: 352 rows x 9 columns were a third of the page and of its rendering time); a plain
#: link shows them all, and the downloads always hold every row.
AREAS_SHOWN = 20


def _busiest(rows: list[list], limit: int) -> list[list]:
    """The `limit` rows with the highest count (column 2), ties by LSOA code."""
    return sorted(
        rows, key=lambda row: (-(row[2] if isinstance(row[2], int) else 0), row[0])
    )[:limit]


def build_sections(
    tables,
    *,
    suppressed: bool,
    specs: dict,
    svgs: dict | None = None,
    areas_limit: int | None = None,
):
    """The page's sections, each with its figures (a table, maybe a chart).

    With `areas_limit` the per-LSOA table holds only that many of the busiest
    neighbourhoods (the figure says so and links to all of them)."""
    by_section: dict[str, list] = {key: [] for key, _ in SECTIONS}
    for table in tables.values():
        rows = table.formatted(suppressed=suppressed)
        figure = {
            "table": table,
            "rows": rows,
            "spec": specs.get(table.slug) if table.slug in CHARTED else None,
            "svg": (svgs or {}).get(table.slug),
            "chart_id": f"chart-{table.slug}".replace("_", "-"),
            "caption": table.title,
            "plain": PLAIN_DEFINITIONS.get(table.slug, table.definition),
            "formula": table.definition if table.slug in PLAIN_DEFINITIONS else "",
        }
        if table.slug == "areas" and areas_limit and len(rows) > areas_limit:
            figure["rows"] = _busiest(rows, areas_limit)
            figure["caption"] = (
                f"{table.title}: the {areas_limit} with the most serious violence"
            )
            figure["all_rows"] = len(rows)
        by_section.setdefault(table.section, []).append(figure)
    return [
        {"key": key, "title": title, "figures": by_section.get(key, [])}
        for key, title in SECTIONS
    ]


def filter_query(options, **extra) -> str:
    return urlencode(
        {
            "period_from": month_label(options["period_from"]),
            "period_to": month_label(options["period_to"]),
            "kind": options["kind"] or "",
            "area": options["area"] or "",
            **extra,
        }
    )


_INDENT = re.compile(r"\n\s+")
_FRAGMENTS: BoundedLRU[str] = BoundedLRU(32)


def section_of(value) -> str:
    """The dashboard section asked for, or the first one (any other value)."""
    return value if value in SECTION_KEYS else DEFAULT_SECTION


def hotspot_geojson(
    result: Mapping[str, object], table: Table, folder: str
) -> tuple[dict, list]:
    """Hot and cold spots by LSOA as a FeatureCollection for the map: hot spots in
    the darkest band, cold spots in the lightest, the rest in the middle."""
    from .charts import simplified_geometries

    geometries = simplified_geometries(folder)
    bands = {"hot": 5, "cold": 1}
    labels = {"hot": "Hot spot", "cold": "Cold spot"}
    features = []
    for row in table.display(suppressed=False):
        code = row[0]
        if code not in geometries:
            continue
        spot = row[8] or ""
        properties = {
            "name": f"{row[1]} ({code})",
            "value": None,
            "band": bands.get(spot, 3),
            "value_label": labels.get(spot, "Neither"),
        }
        features.append(
            {"type": "Feature", "properties": properties, "geometry": geometries[code]}
        )
    legend = [
        {"band": 5, "label": "Hot spot"},
        {"band": 3, "label": "Neither (no significant difference)"},
        {"band": 1, "label": "Cold spot"},
    ]
    return {"type": "FeatureCollection", "features": features}, legend


def dashboard_results(
    partnership, snapshot, options, *, all_areas=False, section=DEFAULT_SECTION
) -> str:
    """One section of the dashboard as HTML, cached with the SNA result.

    One section per page keeps each page light (only the "where" and hot-spot
    sections carry a map's GeoJSON); the key holds the section and the filters.

    The figures depend only on the snapshot, the filters, the definition and the
    weights (the SNA cache key) and hold nothing about the viewer, so the rendered
    HTML is cached with them: a repeated view costs one cache read.
    """
    result = sna_for(partnership, snapshot=snapshot, **options)
    key = (
        f"sna-dashboard:v3:{section}:{'all-areas' if all_areas else 'busiest'}:"
        + hashlib.sha256(
            json.dumps(
                [
                    result["snapshot"]["id"],
                    result["snapshot"]["content_hash"],
                    result["period"],
                    result["filters"],
                    result["method"],
                ],
                sort_keys=True,
                default=str,
            ).encode()
        ).hexdigest()
    )

    def render() -> str:
        tables = {
            t.slug: t
            for t in sna_tables(result)
            if t.section == section or t.slug == "areas"
        }
        specs = chart_specs(tables, suppressed=False)
        page_sections = build_sections(
            {slug: t for slug, t in tables.items() if t.section == section},
            suppressed=False,
            specs=specs,
            areas_limit=None if all_areas else AREAS_SHOWN,
        )
        context = {
            "partnership": partnership,
            "snapshot": snapshot,
            "result": result,
            "sections": SECTIONS,
            "current": section,
            "section": next(s for s in page_sections if s["key"] == section),
            "query": filter_query(options),
            "all_areas_query": filter_query(options, areas="all", section=section),
            "boundary_attribution": BOUNDARY_ATTRIBUTION,
        }
        if section in ("where", "hotspots"):
            if section == "where":
                geojson, legend = map_geojson(
                    result, tables["areas"], str(snapshot.path), suppressed=False
                )
            else:
                geojson, legend = hotspot_geojson(
                    result, tables["areas"], str(snapshot.path)
                )
            context["geojson"] = geojson
            context["legend"] = legend
            context["geojson_script"] = geojson_script(
                geojson, "sna-map-geojson", str(snapshot.path)
            )
            context["spots"] = [
                f
                for f in geojson["features"]
                if f["properties"].get("value_label") in ("Hot spot", "Cold spot")
            ]
        html = render_to_string("analysis/_dashboard_results.html", context)
        # Indentation from the templates is a third of the page: drop it, keeping
        # one line break so that no space between inline elements is lost.
        return _INDENT.sub("\n", html)

    cached = _FRAGMENTS.get(key)
    if cached is not None:
        return cached
    # Rendered by our own autoescaping template.
    html = mark_safe(snapshot_cached(snapshot, key, render))  # noqa: S308
    _FRAGMENTS.put(key, html)
    return html


def warm_views(partnership, snapshot: Snapshot) -> list[dict]:
    """The likeliest views of a new snapshot, default first: the default period for
    everything, for each kind of serious violence and for each local authority."""
    start, end = default_period(snapshot)
    base = {"period_from": start, "period_to": end, "kind": None, "area": None}
    views = [base]
    views += [
        {**base, "kind": kind} for kind in definition_for(partnership, end)["kinds"]
    ]
    views += [{**base, "area": area["code"]} for area in snapshot_areas(snapshot)]
    return views


def warm(partnership, snapshot: Snapshot) -> None:
    """Compute the dashboard's likeliest views (`warm_views`) for a new snapshot.

    The results, the rendered figures and the street-level counts
    (`cache/street_agg.parquet`) land in the snapshot's shared cache, so the first
    people to open the dashboard after an import do not wait for them. About 0.1 to
    0.2 s a view at a million records."""
    for options in warm_views(partnership, snapshot):
        try:
            dashboard_results(partnership, snapshot, options)
        except SnaError:
            continue


def warm_process(limit: int = 4) -> None:
    """Make this process's own copy of what every dashboard request of the newest
    `limit` snapshots needs (the DuckDB database with its street-level counts, the
    snapshot's months, areas and default period, the Gi* weights for the whole area
    and each local authority, the templates), so that a web worker's first requests
    do not each pay for it while their users wait. `svduty.config.wsgi` runs it in
    a background thread when a worker starts. `limit`: as many as the process keeps
    DuckDB databases for (`sna._DATABASES`)."""
    from django.db.models import OuterRef, Subquery
    from django.template.loader import get_template

    from .service import options_for, snapshot_months
    from .sna import compute_sna

    get_template("analysis/dashboard.html")
    get_template("analysis/_dashboard_results.html")
    newest = (
        Snapshot.objects.filter(partnership=OuterRef("partnership"), files_kept=True)
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    snapshots = (
        Snapshot.objects.filter(pk=Subquery(newest))
        .select_related("partnership")
        .order_by("-created_at", "-id")[:limit]
    )
    for snapshot in snapshots:
        snapshot_months(snapshot)
        for options in warm_views(snapshot.partnership, snapshot):
            if options["kind"] is not None:
                continue  # the same areas as the default view
            partnership = snapshot.partnership
            try:
                compute_sna(
                    snapshot.path, options_for(partnership, snapshot, **options)
                )
            except SnaError:
                continue
