"""Places as map features for the shared Leaflet map (static_src/js/maps.js draws
GeoJSON areas coloured by band; a place is drawn as the circle it reaches, so the
map needs no marker images and no tiles)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from svduty.cases.models import RiskLevel

from .evaluation import EARTH_RADIUS_M
from .models import Place

#: Map colour band for each level of risk (maps.js: 1 lightest to 5 darkest).
RISK_BANDS: dict[str, int | None] = {
    RiskLevel.LOW: 2,
    RiskLevel.MEDIUM: 3,
    RiskLevel.HIGH: 5,
    "": None,
}
LEGEND = [
    {"band": 2, "label": "Low risk"},
    {"band": 3, "label": "Medium risk"},
    {"band": 5, "label": "High risk"},
    {"band": None, "label": "Not assessed yet"},
]


@lru_cache(maxsize=4096)
def circle(latitude: float, longitude: float, radius_m: float, sides: int = 24):
    """A polygon approximating the circle (longitude, latitude pairs). Kept per
    process: the list of places draws the same circles on every view (a place's
    point and radius rarely change). The result is shared: never change it."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / math.cos(math.radians(latitude))
    ring = [
        [
            round(longitude + dlon * math.cos(2 * math.pi * i / sides), 6),
            round(latitude + dlat * math.sin(2 * math.pi * i / sides), 6),
        ]
        for i in range(sides)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def place_features(places: Iterable[Place]) -> dict[str, Any]:
    features = []
    for place in places:
        if place.latitude is None or place.longitude is None:  # not has_point
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": circle(place.latitude, place.longitude, place.radius_m),
                "properties": {
                    "name": place.name,
                    "value": None,
                    "band": RISK_BANDS.get(place.risk_level),
                    "value_label": place.get_risk_level_display() or "not assessed",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
