"""Access matrix for the strategic needs assessment pages."""

from __future__ import annotations

from types import SimpleNamespace

from svduty.core.authorisation import Role
from tests.factories.analysis import grid_tables, make_sna_version, make_snapshot
from tests.factories.partnership import MemberFactory, PartnershipFactory

from . import Route, with_copies_out_of_scope

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
    # Out of scope: the same analysis in a partnership no matrix agency belongs to.
    other = PartnershipFactory(
        slug="matrix-analysis-elsewhere", name="Analysis Elsewhere"
    )
    other_snapshot = make_snapshot(other, grid_tables(street=street))
    prune(other)
    ctx.analysis_out = SimpleNamespace(
        partnership=other,
        version=make_sna_version(
            partnership=other, snapshot=other_snapshot, by=ctx.users[Role.ANALYST]
        ),
    )


def _slug(ctx, out=False) -> dict:
    partnership = ctx.analysis_out.partnership if out else ctx.analysis_partnership
    return {"slug": partnership.slug}


def _version(ctx, out=False) -> dict:
    version = ctx.analysis_out.version if out else ctx.analysis_version
    return _slug(ctx, out) | {"pk": version.pk}


def _export(ctx, out=False) -> dict:
    return _slug(ctx, out) | {"table": "areas", "fmt": "xlsx"}


ROUTES = [
    Route("analysis:home", allowed=VIEWERS),
    Route("analysis:dashboard", allowed=VIEWERS, kwargs=_slug),
    Route("analysis:report", allowed=VIEWERS, kwargs=_slug),
    Route("analysis:report_pdf", allowed=VIEWERS, kwargs=_slug),
    Route("analysis:export", allowed=VIEWERS, kwargs=_export),
    Route("analysis:harm_weights", allowed=VIEWERS, kwargs=_slug),
    Route("analysis:harm_weights_import", allowed=ANALYSTS, kwargs=_slug),
    Route("analysis:version_list", allowed=VIEWERS, kwargs=_slug),
    Route("analysis:version_new", allowed=ANALYSTS, kwargs=_slug),
    Route("analysis:version_detail", allowed=VIEWERS, kwargs=_version),
    Route("analysis:version_edit", allowed=ANALYSTS, kwargs=_version),
    Route("analysis:version_sign_off", allowed=ANALYSTS, kwargs=_version),
    Route("api-sna", allowed=VIEWERS, kwargs=_slug),
]

# Every page about one partnership's analysis names the other partnership's.
ROUTES = with_copies_out_of_scope(ROUTES, out=True)
