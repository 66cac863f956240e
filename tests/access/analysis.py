"""Access matrix for the strategic needs assessment pages."""

from __future__ import annotations

from svduty.core.authorisation import Role
from tests.factories.analysis import grid_tables, make_sna_version, make_snapshot
from tests.factories.partnership import MemberFactory, PartnershipFactory

from . import Route

VIEWERS = frozenset({Role.ANALYST, Role.PARTNERSHIP_LEAD})
ANALYSTS = frozenset({Role.ANALYST})

VSO = "Violence and sexual offences"


def setup(ctx) -> None:
    from svduty.analysis.snapshot import prune

    partnership = PartnershipFactory(slug="matrix-analysis", name="Matrix analysis")
    MemberFactory(partnership=partnership, agency=ctx.agency)
    street = [("2022-01", "E01000001", VSO)] * 6 + [("2022-02", "E01000002", "Robbery")]
    snapshot = make_snapshot(partnership, grid_tables(street=street))
    prune(partnership)
    ctx.analysis_partnership = partnership
    ctx.analysis_version = make_sna_version(
        partnership=partnership, snapshot=snapshot, by=ctx.users[Role.ANALYST]
    )


def _slug(ctx) -> dict:
    return {"slug": ctx.analysis_partnership.slug}


def _version(ctx) -> dict:
    return _slug(ctx) | {"pk": ctx.analysis_version.pk}


ROUTES = [
    Route("analysis:home", allowed=VIEWERS),
    Route("analysis:dashboard", allowed=VIEWERS, kwargs=_slug),
    Route("analysis:report", allowed=VIEWERS, kwargs=_slug),
    Route("analysis:report_pdf", allowed=VIEWERS, kwargs=_slug),
    Route(
        "analysis:export",
        allowed=VIEWERS,
        kwargs=lambda ctx: _slug(ctx) | {"table": "areas", "fmt": "xlsx"},
    ),
    Route("analysis:version_list", allowed=VIEWERS, kwargs=_slug),
    Route("analysis:version_new", allowed=ANALYSTS, kwargs=_slug),
    Route("analysis:version_detail", allowed=VIEWERS, kwargs=_version),
    Route("analysis:version_edit", allowed=ANALYSTS, kwargs=_version),
    Route("analysis:version_sign_off", allowed=ANALYSTS, kwargs=_version),
]
