"""How the analysis app follows events in the apps below it (connected in
`AnalysisConfig.ready`)."""

from __future__ import annotations

import logging
from typing import Any

from svduty.partnership.models import Partnership

from .dashboard import warm
from .models import Snapshot
from .report import warm_report
from .snapshot import rebuild_snapshot

logger = logging.getLogger(__name__)


def refresh(partnership: Partnership) -> Snapshot:
    """Rebuild the partnership's snapshot, then compute its likeliest dashboard views
    and the report (PDF) of the default one.

    A failure to warm is logged: the snapshot is complete, only the head start on the
    first view is lost."""
    snapshot = rebuild_snapshot(partnership)
    try:
        warm(partnership, snapshot)
        warm_report(partnership, snapshot)
    except Exception:
        logger.exception("Warming the SNA for %s failed", partnership.slug)
    return snapshot


def on_import_succeeded(
    sender: Any, *, partnership: Partnership, **kwargs: Any
) -> None:
    """`svduty.sharing.signals.import_succeeded`: the partnership's data changed."""
    try:
        refresh(partnership)
    except Exception:
        # Never undoes the import (it has committed); the next import or
        # `svduty rebuild_snapshot` builds it again.
        logger.exception("Rebuilding the snapshot for %s failed", partnership.slug)
