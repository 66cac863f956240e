"""The dashboard's Vega-Lite specs are plain dicts; they must be exactly what altair
(the documented way to build them, includes/chart.html) would give."""

from __future__ import annotations

import pytest

from svduty.analysis.charts import bar_spec, line_spec
from svduty.analysis.tables import COUNT, RATE, TEXT, Table

alt = pytest.importorskip("altair")


def _table() -> Table:
    return Table(
        "kinds",
        "Serious violence by kind",
        [("Kind", TEXT), ("Records", COUNT), ("Rate", RATE)],
        [["Robbery", 3, 0.5], ["Violence and sexual offences", 120, 2.25]],
        "definition",
        "source",
        {2: (1,)},
    )


@pytest.mark.parametrize("suppressed", [False, True])
@pytest.mark.parametrize("sort", [False, True])
def test_bar_spec_is_what_altair_gives(suppressed, sort, settings):
    settings.SUPPRESSION_THRESHOLD = 4
    table = _table()
    ours = bar_spec(table, suppressed=suppressed, value=2, title_y="Rate", sort=sort)
    values = ours["data"]["values"]
    expected = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color="#1d70b8")
        .encode(
            x=alt.X(
                "label:N",
                title="Kind",
                sort="-y" if sort else None,
                axis=alt.Axis(labelAngle=-40),
            ),
            y=alt.Y("value:Q", title="Rate"),
            tooltip=[
                alt.Tooltip("label:N", title="Kind"),
                alt.Tooltip("value:Q", title="Rate", format=","),
            ],
        )
        .properties(width="container" if not suppressed else 520, height=260)
        .to_dict()
    )
    assert ours == expected
    # Suppressed figures are left out of the chart (the table says "fewer than 5").
    assert values[0]["value"] is (None if suppressed else 0.5)


def test_line_spec_is_what_altair_gives():
    table = _table()
    ours = line_spec(
        table, suppressed=False, series=[(1, "Records"), (2, "Rate")], title_y="N"
    )
    expected = (
        alt.Chart(alt.Data(values=ours["data"]["values"]))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title="Month", axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("value:Q", title="N"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(range=["#1d70b8", "#d4351c", "#00703c"]),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash("series:N", legend=None),
            tooltip=["month:O", "series:N", alt.Tooltip("value:Q", format=",")],
        )
        .properties(width="container", height=260)
        .to_dict()
    )
    assert ours == expected
    assert len(ours["data"]["values"]) == 4
