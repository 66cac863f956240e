from __future__ import annotations

from svduty.core.policies import get_visible_or_404
from svduty.partnership.viewutils import scoped_partnership

from ..models import StrategyVersion

__all__ = ["scoped_partnership", "version_or_404"]


def version_or_404(request, partnership, number) -> StrategyVersion:
    return get_visible_or_404(
        StrategyVersion.objects.filter(partnership=partnership).select_related(
            "partnership", "definition", "published_by"
        ),
        request.user,
        number=number,
    )
