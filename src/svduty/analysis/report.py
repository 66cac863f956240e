"""The SNA report: its context (suppressed tables, charts and map) and the PDF.

Speed (issue 15 point 3, issue 16 point 8: a 24-page report in at most 2 s):

- The suppressed figures of a report (chart specs, their SVGs from vl-convert and the
  map's SVG) depend only on the snapshot, the filters, the definition and the
  weights, so they are made once per snapshot and filters and kept in the
  snapshot's shared cache (`service.snapshot_cached`): the HTML report and the PDF
  of the same filters, any worker, reuse them.
- The PDF is typeset by Typst from the HTML that ``analysis/report_pdf.html``
  renders (`typeset.typeset_pdf`): the same words, tables and figures as the HTML
  report, tagged PDF/UA-1, in well under a second. WeasyPrint took 4-5 s of CPU on
  the 4,000 table cells of a whole-Cleveland report whatever it was given
  (docs/sna.md has the figures).
- The PDF itself is kept per snapshot, filters and partnership name (`pdf_for`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html

from .charts import chart_specs, map_geojson, map_svg, to_svg
from .dashboard import BOUNDARY_ATTRIBUTION, build_sections, warm_views
from .result import SnaResult
from .service import sna_for, snapshot_cached
from .sna import SnaError
from .tables import sna_tables
from .typeset import typeset_pdf

MAP_TITLE = "Map: serious violence per 1,000 residents by LSOA"
#: One font family for the text and the charts: a second family is a second font
#: to embed.
PDF_FONT = "Liberation Sans"


def result_key(result: SnaResult) -> str:
    """What an SNA result's figures depend on: snapshot, period, filters, method
    (which names the definition and the weights)."""
    return hashlib.sha256(
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


_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def svg_image(svg: str, alt: str) -> str:
    """An SVG as an <img> (a data: URL) with its alternative text: the HTML of the
    report stays one document, and the typesetter takes the SVG from it."""
    if not svg:
        return ""
    size = _SIZE.search(svg[:2000])
    dimensions = (
        format_html(' width="{}" height="{}"', size.group(1), size.group(2))
        if size
        else ""
    )
    data = base64.b64encode(svg.encode()).decode("ascii")
    return format_html(
        '<img src="data:image/svg+xml;base64,{}" alt="{}"{}>', data, alt, dimensions
    )


def _pdf_spec(spec: dict) -> dict:
    """The chart as drawn in the PDF: the report's font."""
    config = dict(spec.get("config") or {})
    config["font"] = PDF_FONT
    return {**spec, "config": config}


def report_figures(snapshot, result: SnaResult, tables) -> dict:
    """Chart specs, chart SVGs and the map (GeoJSON, legend, SVG) of a report, with
    small numbers suppressed: made once per snapshot and filters, then shared."""

    def make() -> dict:
        specs = chart_specs(tables, suppressed=True)
        geojson, legend = map_geojson(
            result, tables["areas"], str(snapshot.path), suppressed=True
        )
        return {
            "specs": specs,
            "svgs": {key: to_svg(_pdf_spec(spec)) for key, spec in specs.items()},
            "geojson": geojson,
            "legend": legend,
            "map_svg": map_svg(geojson, legend, title=MAP_TITLE),
        }

    return snapshot_cached(snapshot, "sna-report:v1:" + result_key(result), make)


def report_context(partnership, snapshot, result: SnaResult, *, for_pdf: bool) -> dict:
    """Everything the report template needs, with small numbers suppressed."""
    tables = {t.slug: t for t in sna_tables(result)}
    figures = report_figures(snapshot, result, tables)
    svgs = None
    if for_pdf:
        svgs = {
            key: svg_image(svg, f"Chart of the table “{tables[key].title}”")
            for key, svg in figures["svgs"].items()
        }
    context = {
        "partnership": partnership,
        "snapshot": snapshot,
        "result": result,
        "threshold": settings.SUPPRESSION_THRESHOLD,
        "boundary_attribution": BOUNDARY_ATTRIBUTION,
        "generated_at": timezone.now(),
        "for_pdf": for_pdf,
        "page_sections": build_sections(
            tables, suppressed=True, specs=figures["specs"], svgs=svgs
        ),
        "geojson": figures["geojson"],
        "legend": figures["legend"],
    }
    if for_pdf:
        context["map_svg"] = svg_image(figures["map_svg"], MAP_TITLE)
    return context


def render_html_document(partnership, snapshot, result: SnaResult) -> str:
    context = report_context(partnership, snapshot, result, for_pdf=True)
    return render_to_string("analysis/report_pdf.html", context)


def render_pdf(partnership, snapshot, result: SnaResult) -> bytes:
    """The report as a tagged PDF (PDF/UA-1), made afresh."""
    document = render_html_document(partnership, snapshot, result)
    return typeset_pdf(document, footer=str(snapshot.label))


def pdf_key(partnership, result: SnaResult) -> str:
    """The cache key of a report's PDF: the snapshot and filters (`result_key`) and
    the partnership's name, which it prints."""
    return (
        "sna-pdf:v1:"
        + hashlib.sha256(
            json.dumps(
                [partnership.slug, partnership.name, result_key(result)]
            ).encode()
        ).hexdigest()
    )


def pdf_for(partnership, snapshot, result: SnaResult) -> bytes:
    """The report's PDF, made once per snapshot and filters (and the partnership's
    name, which it prints) and then served from the snapshot's shared cache: it
    says when it was produced, and nothing in it depends on who downloads it."""
    return snapshot_cached(
        snapshot,
        pdf_key(partnership, result),
        lambda: render_pdf(partnership, snapshot, result),
    )


def prepare_report(partnership, snapshot, options: dict) -> bool:
    """Have the background task worker make the report of a view someone is looking
    at (the dashboard or the HTML report, whose "Download the report (PDF)" link
    asks for it), so that its download is a cache read instead of about 0.6 s of
    CPU (1-2.5 s at load 4-7) in the request. A download that comes before the task
    has finished waits for it (the snapshot cache's lock) instead of making it a
    second time; a report made already costs the task a cache read.

    Asked once per snapshot, view and partnership name (a marker file in the
    snapshot's cache; no query), so repeated views and the dashboard's other
    sections ask nothing more. Returns whether it asked. Off with
    ``SVDUTY_SNA_PREPARE_REPORTS=false`` and where tasks run inside the request."""
    if not settings.SNA_PREPARE_REPORTS:
        return False
    view = {
        "period_from": options["period_from"].isoformat(),
        "period_to": options["period_to"].isoformat(),
        "kind": options.get("kind") or None,
        "area": options.get("area") or None,
    }
    asked = hashlib.sha256(
        json.dumps([partnership.slug, partnership.name, view], sort_keys=True).encode()
    ).hexdigest()
    marker = snapshot.path / "cache" / "asked" / asked
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.open("x").close()
    except OSError:  # asked for already (FileExistsError), or no cache to keep it
        return False
    from .tasks import make_report

    transaction.on_commit(
        lambda: make_report.enqueue(partnership.pk, snapshot.pk, view)
    )
    return True


def warm_renderers() -> None:
    """Start the chart renderer (vl-convert's JavaScript engine, about 1.4 s at load
    9) and load Typst's fonts, so that the first report a web worker makes does not
    wait for them. `svduty.config.wsgi` runs it in a background thread when a worker
    starts (``SVDUTY_WARM_RENDERERS=false`` turns that off).

    The report's templates are loaded too, and the URL configuration they reverse
    links with: a worker otherwise imports every app's views (altair among them)
    inside its first request, a report download or not. One link is reversed, so
    that Django builds its table of every URL's name (about 400 regular
    expressions: 0.26 s in a cProfile of a first report at load 7) here, not inside
    the first report."""
    from django.template.loader import get_template
    from django.urls import get_resolver, reverse

    from . import typeset

    get_resolver().url_patterns  # noqa: B018 - imports the views once, here
    reverse("analysis:harm_weights", args=["warm"])
    get_template("analysis/report_pdf.html")
    to_svg({"mark": "point", "data": {"values": [{"x": 1}]}})
    typeset.warm()


def warm_report(partnership, snapshot) -> None:
    """Make the reports of the dashboard's likeliest views (`dashboard.warm_views`:
    the last 12 months for everything, for each kind and for each local authority)
    with a new snapshot, so that their first download is a cache read. About a
    second of CPU each, in the background task that rebuilt the snapshot; the
    default view first."""
    for options in warm_views(partnership, snapshot):
        try:
            result = sna_for(partnership, snapshot=snapshot, **options)
        except SnaError:
            continue
        pdf_for(partnership, snapshot, result)
