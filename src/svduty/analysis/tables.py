"""Every SNA table, in one place, with small-number suppression (convention 9).

The dashboard, the CSV/XLSX downloads and the HTML/PDF report all take their tables
from `sna_tables(result)`, so a figure reads the same everywhere. `Table.display(...)`
returns the cells either raw (the dashboard, inside the partnership) or suppressed
(anything that can leave it): a count from 1 to the threshold becomes "fewer than N",
and every rate, share or relative rate computed from a suppressed count is withheld.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings

from svduty.analysis.result import RelativeRates, SnaResult
from svduty.analysis.sna import PEOPLE, SOURCES
from svduty.analysis.stats import suppress as suppress_count

WITHHELD = "withheld (small number)"

TEXT, COUNT, RATE, SHARE, RATIO, NUMBER = (
    "text",
    "count",
    "rate",
    "share",
    "ratio",
    "number",
)


@dataclass
class Table:
    slug: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[list[Any]]
    definition: str
    source: str
    # Derived column index -> the count column indices it is computed from.
    depends: dict[int, tuple[int, ...]] = field(default_factory=dict)
    section: str = ""

    @property
    def head(self) -> list[str]:
        return [label for label, _ in self.columns]

    def display(
        self, *, suppressed: bool, threshold: int | None = None
    ) -> list[list[Any]]:
        """Rows ready to show or export. Numbers stay numbers where shown."""
        if threshold is None:
            threshold = int(settings.SUPPRESSION_THRESHOLD)
        out = []
        for row in self.rows:
            hidden: set[int] = set()
            cells = list(row)
            if suppressed:
                for index, (_, kind) in enumerate(self.columns):
                    value = row[index]
                    if (
                        kind == COUNT
                        and isinstance(value, int)
                        and suppress_count(value, threshold).suppressed
                    ):
                        cells[index] = f"fewer than {threshold + 1}"
                        hidden.add(index)
                for index, sources in self.depends.items():
                    if hidden & set(sources) and cells[index] is not None:
                        cells[index] = WITHHELD
            out.append(cells)
        return out

    def formatted(self, *, suppressed: bool) -> list[list[Any]]:
        """Rows for HTML: rates and shares rounded for reading."""
        rows = self.display(suppressed=suppressed)
        for row in rows:
            for index, (_, kind) in enumerate(self.columns):
                value = row[index]
                if isinstance(value, float):
                    if kind == SHARE:
                        row[index] = f"{value * 100:.1f}%"
                    elif kind in (RATE, RATIO, NUMBER):
                        row[index] = round(value, 2)
                elif value is None and kind in (RATE, RATIO):
                    row[index] = "Not available"
                elif value is None:
                    row[index] = ""
        return rows


#: The facets of `result.People`, with their labels.
FACETS: tuple[tuple[Literal["age_band", "sex", "ethnicity"], str], ...] = (
    ("age_band", "age band"),
    ("sex", "sex"),
    ("ethnicity", "self-defined ethnicity"),
)


def sna_tables(result: SnaResult) -> list[Table]:
    """All tables of one SNA result, in report order."""
    street = SOURCES["police_street"]
    sv = result["serious_violence"]
    sv_types = ", ".join(sv["types"])
    tables: list[Table] = []
    add = tables.append

    records = result["records"]
    add(
        Table(
            "records",
            "Police-recorded crime records in the period, by location",
            [("Where", TEXT), ("Records", COUNT)],
            [
                ["In the selected area", records["in_area"]],
                ["Outside the selected area", records["outside_area"]],
                ["No location", records["no_location"]],
            ],
            result["method"]["records"],
            street,
            section="kinds",
        )
    )
    add(
        Table(
            "kinds",
            "Serious violence by kind",
            [("Kind", TEXT), ("Records", COUNT), ("Share of serious violence", SHARE)],
            [[k["kind"], k["count"], k["share"]] for k in sv["by_kind"]],
            result["method"]["serious_violence"],
            street,
            {2: (1,)},
            section="kinds",
        )
    )
    add(
        Table(
            "categories",
            "All police-recorded crime by type (in the area)",
            [("Crime type", TEXT), ("Records", COUNT)],
            [
                [k, v]
                for k, v in sorted(
                    result["by_source_category"].items(), key=lambda i: -i[1]
                )
            ],
            result["method"]["by_source_category"],
            street,
            section="kinds",
        )
    )
    add(
        Table(
            "trend",
            "Serious violence by month",
            [
                ("Month", TEXT),
                ("Records", COUNT),
                ("Records per day", RATE),
                ("3-month average per day", RATE),
            ],
            [
                [p["month"], p["count"], p["per_day"], p["rolling_3_month_per_day"]]
                for p in result["trend"]["series"]
            ],
            result["method"]["trend"],
            street,
            {2: (1,)},
            section="trend",
        )
    )
    add(
        Table(
            "monthly",
            "All police-recorded crime by month and type (in the area)",
            [("Month", TEXT), ("Crime type", TEXT), ("Records", COUNT)],
            [[m["month"], m["source_category"], m["count"]] for m in result["monthly"]],
            result["method"]["monthly"],
            street,
            section="trend",
        )
    )
    area_rows = [
        [
            a["lsoa"],
            a["name"],
            a["count"],
            a["population"],
            a["rate_per_1000"],
            a["imd_decile"],
            a["gi_z"],
            a["gi_p_fdr"],
            a["hotspot"] or "",
        ]
        for a in result["areas"]
    ]
    area_columns = [
        ("LSOA code", TEXT),
        ("Name", TEXT),
        ("Serious violence", COUNT),
        ("Residents", NUMBER),
        ("Rate per 1,000 residents", RATE),
        ("IMD decile", TEXT),
        ("Gi* z-score", NUMBER),
        ("Gi* p-value (FDR adjusted)", NUMBER),
        ("Hot or cold spot", TEXT),
    ]
    add(
        Table(
            "areas",
            "Serious violence by neighbourhood (LSOA)",
            area_columns,
            area_rows,
            result["method"]["areas"] + " " + result["method"]["gi_star"],
            f"{street}; {SOURCES['population']}; {SOURCES['imd']}; {SOURCES['boundaries']}",  # noqa: E501
            {4: (2,)},
            section="where",
        )
    )
    add(
        Table(
            "hotspots",
            "Hot and cold spots (Getis-Ord Gi*)",
            area_columns,
            sorted(
                (row for row in area_rows if row[8]),
                key=lambda row: -(row[6] or 0),
            ),
            result["method"]["gi_star"],
            street,
            {4: (2,)},
            section="hotspots",
        )
    )
    c = result["concentration"]
    add(
        Table(
            "concentration",
            "How concentrated serious violence is",
            [
                ("Measure", TEXT),
                ("Share of serious violence", SHARE),
                ("Coefficient", NUMBER),
            ],
            [
                [
                    f"Top 5% of neighbourhoods ({c['top_5pct_areas']} LSOAs)",
                    c["top_5pct_areas_share"],
                    None,
                ],
                [
                    f"Top 10% of neighbourhoods ({c['top_10pct_areas']} LSOAs)",
                    c["top_10pct_areas_share"],
                    None,
                ],
                [
                    "Gini coefficient (0 = spread evenly; near 1 = all in one place)",
                    None,
                    c["gini"],
                ],
            ],
            result["method"]["concentration"],
            street,
            section="concentration",
        )
    )
    add(
        Table(
            "deprivation",
            "Serious violence by deprivation (IMD decile)",
            [
                ("IMD decile (1 = most deprived)", TEXT),
                ("Neighbourhoods", NUMBER),
                ("Serious violence", COUNT),
                ("Residents", NUMBER),
                ("Rate per 1,000 residents", RATE),
            ],
            [
                [
                    str(d["imd_decile"]) if d["imd_decile"] else "Not known",
                    d["areas"],
                    d["count"],
                    d["population"],
                    d["rate_per_1000"],
                ]
                for d in result["deprivation"]
            ],
            result["method"]["deprivation"],
            f"{street}; {SOURCES['imd']}; {SOURCES['population']}",
            {4: (2,)},
            section="deprivation",
        )
    )
    tod = result["time_of_day"]
    for source_key, grid, label in (
        ("crime_extract", tod.get("crime_extract"), "police crime extract"),
        ("istv", tod.get("istv"), "emergency department (ISTV)"),
    ):
        if not grid or not grid["total"]:
            continue
        add(
            Table(
                f"day_{source_key}",
                f"By day of the week ({label})",
                [("Day", TEXT), ("Records", COUNT)],
                [[d["day"], d["count"]] for d in grid["by_day"]],
                result["method"]["time_of_day"],
                SOURCES[source_key],
                section="time",
            )
        )
        add(
            Table(
                f"hour_{source_key}",
                f"By hour of the day ({label})",
                [("Hour starting", TEXT), ("Records", COUNT)],
                [[f"{h['hour']:02d}:00", h["count"]] for h in grid["by_hour"]],
                result["method"]["time_of_day"],
                SOURCES[source_key],
                section="time",
            )
        )
    who = result["who"]
    if who["available"]:
        for person in PEOPLE:
            for facet, facet_label in FACETS:
                add(
                    Table(
                        f"{person}_{facet}",
                        f"{person.capitalize()}s by {facet_label}",
                        [
                            (facet_label.capitalize(), TEXT),
                            ("Records", COUNT),
                            ("Share", SHARE),
                        ],
                        [
                            [d["value"], d["count"], d["share"]]
                            for d in who[person][facet]
                        ],
                        result["method"]["who"],
                        SOURCES["crime_extract"],
                        {2: (1,)},
                        section="who",
                    )
                )
    disp = result["disproportionality"]
    rates: list[tuple[str, RelativeRates | None, str, str]] = [
        ("victim", disp.get("victim"), "Victims of serious violence", "crime_extract"),
        (
            "suspect",
            disp.get("suspect"),
            "Suspects in serious violence",
            "crime_extract",
        ),
        ("stop_search", disp["stop_search"], "Stop and search", "stop_search"),
    ]
    for key, entry, label, source_key in rates:
        source = SOURCES[source_key]
        if not entry or not entry["available"]:
            continue
        add(
            Table(
                f"disproportionality_{key}",
                f"{label}: relative rate by ethnic group (compared with White residents)",  # noqa: E501
                [
                    ("Ethnic group", TEXT),
                    ("Records", COUNT),
                    ("Residents (2011 Census)", NUMBER),
                    ("Rate per 1,000 residents", RATE),
                    ("Relative rate", RATIO),
                    ("95% CI lower", RATIO),
                    ("95% CI upper", RATIO),
                ],
                [
                    [
                        r["group"] + (" (reference)" if r["reference"] else ""),
                        r["count"],
                        r["population"],
                        r["rate_per_1000"],
                        r["relative_rate"],
                        r["ci_lower"],
                        r["ci_upper"],
                    ]
                    for r in entry["rows"]
                ],
                result["method"]["disproportionality"],
                f"{source}; {SOURCES['census']}",
                {3: (1,), 4: (1,), 5: (1,), 6: (1,)},
                section="disproportionality",
            )
        )
    measures: list[list[Any]] = []
    for m in result["success_measures"]:
        if m["available"]:
            measures.append(
                [
                    m["title"],
                    m.get("count"),
                    m.get("under_25"),
                    m.get("previous_count"),
                    m.get("previous_under_25"),
                    "Computed from the police crime extract",
                ]
            )
        else:
            note = m.get("reason", "")
            related = m.get("related_indicator")
            if related:
                note += f" Related indicator: {related['title']}: {related['count']}."
            measures.append([m["title"], None, None, None, None, note])
    add(
        Table(
            "success_measures",
            "Home Office success measures",
            [
                ("Measure", TEXT),
                ("In the period", COUNT),
                ("Victims under 25", COUNT),
                ("Previous period", COUNT),
                ("Previous period, victims under 25", COUNT),
                ("Notes", TEXT),
            ],
            measures,
            result["method"]["success_measures"],
            SOURCES["crime_extract"],
            section="success",
        )
    )
    harm = result["harm"]
    add(
        Table(
            "harm",
            "Harm-weighted crime (" + harm["weights"]["name"] + ")",
            [
                ("Crime type", TEXT),
                ("Records", COUNT),
                ("Weight", NUMBER),
                ("Harm", NUMBER),
            ],
            [
                [h["category"], h["count"], h["weight"], h["harm"]]
                for h in harm["by_category"]
            ],
            result["method"]["harm"],
            street,
            {3: (1,)},
            section="harm",
        )
    )
    ed = result["ed_vs_police"]
    if ed["available"]:
        add(
            Table(
                "ed_vs_police",
                "Emergency department assaults beside police-recorded serious violence",
                [
                    ("Month", TEXT),
                    ("ED assault attendances", COUNT),
                    ("Police-recorded serious violence", COUNT),
                ],
                [
                    [m["month"], m["ed_assaults"], m["police_recorded"]]
                    for m in ed.get("monthly", [])
                ],
                result["method"]["ed_vs_police"],
                f"{SOURCES['istv']}; {street}",
                section="ed",
            )
        )
    for table in tables:
        table.definition = table.definition.replace("{sv_types}", sv_types)
    return tables


def definition_label(result: SnaResult) -> str:
    """The definition of serious violence the figures follow, as exports name it."""
    definition = result.get("definition")
    if definition is not None:
        return f"The partnership's {definition['label']}"
    return "The svduty default (no local definition in force for the period)"


def table_by_slug(result: SnaResult, slug: str) -> Table | None:
    for table in sna_tables(result):
        if table.slug == slug:
            return table
    return None


def suppressed_json(result: SnaResult) -> dict[str, Any]:
    """The SNA as shareable JSON: its tables with small numbers suppressed
    (`svduty sna --suppress` and the API's `suppress=true`)."""
    return (
        {
            "partnership": result["partnership"],
            "period": result["period"],
            "snapshot": result["snapshot"],
            "filters": result["filters"],
            "method": result["method"],
        }
        | ({"definition": result["definition"]} if "definition" in result else {})
        | {
            "suppressed": True,
            "tables": {
                table.slug: {
                    "title": table.title,
                    "head": table.head,
                    "rows": table.display(suppressed=True),
                    "definition": table.definition,
                    "source": table.source,
                }
                for table in sna_tables(result)
            },
        }
    )
