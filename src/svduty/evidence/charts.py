"""Vega-Lite specs for the evidence pages (architecture D5); every chart is shown
with a table of the same figures."""

from __future__ import annotations

from typing import Any

from .figures import Point
from .indicators import Indicator, Kind

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"


def axis_title(indicator: Indicator) -> str:
    if indicator.kind == Kind.RATE:
        return "Share (%)"
    if indicator.kind == Kind.MEAN:
        return f"Average ({indicator.unit})"
    return "Number"


def trend(indicator: Indicator, points: list[Point]) -> dict[str, Any] | None:
    """None when there is nothing to draw: the table alone says "No records" (an
    empty chart is an unlabelled image to a screen reader)."""
    values = [
        {"month": f"{p.start:%Y-%m}", "value": p.value(indicator)}
        for p in points
        if p.value(indicator) is not None
    ]
    if not values:
        return None
    y: dict[str, Any] = {
        "field": "value",
        "type": "quantitative",
        "title": axis_title(indicator),
    }
    if indicator.kind == Kind.RATE:
        y["scale"] = {"domain": [0, 100]}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 220}},
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {
                "field": "month",
                "type": "temporal",
                "title": "Month",
                "timeUnit": "yearmonth",
            },
            "y": y,
        },
    }


def bars(
    indicator: Indicator, rows: list[tuple[str, float | None]]
) -> dict[str, Any] | None:
    values = [{"name": n, "value": v} for n, v in rows if v is not None]
    if not values:
        return None
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 220}},
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "name", "type": "nominal", "title": None, "sort": None},
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": axis_title(indicator),
            },
        },
    }
