"""The indicator registry (see `registry`); importing this package registers every
indicator whose source app is installed."""

from . import cases, learning, meetings, places, services  # noqa: F401  (register)
from .registry import REGISTRY, Indicator, Kind, for_outcome, get, register

__all__ = ["REGISTRY", "Indicator", "Kind", "for_outcome", "get", "register"]
