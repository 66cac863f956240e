"""Demo: the retention job has run once, so the DPO's pages show a run (nothing in
the demo is old enough to be due: its records are created today)."""

from __future__ import annotations

from typing import Any

from .actions import apply_retention
from .models import RetentionRun


def load(context: dict[str, Any]) -> None:
    if not RetentionRun.objects.exists():
        apply_retention(started_by="demo")
