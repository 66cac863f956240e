"""Access matrix for the information sharing pages."""

from __future__ import annotations

from types import SimpleNamespace

from svduty.core.authorisation import Role
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.factories.sharing import AgreementFactory

from . import Route, with_copies_out_of_scope

IMPORTERS = frozenset({Role.ANALYST})
AGREEMENT_MANAGERS = frozenset({Role.ANALYST, Role.PARTNERSHIP_LEAD})


def setup(ctx) -> None:
    from svduty.sharing.models import BatchStatus, ImportBatch

    partnership = PartnershipFactory(slug="matrix-sharing", name="Matrix sharing")
    MemberFactory(partnership=partnership, agency=ctx.agency)
    ctx.sharing_partnership = partnership
    ctx.sharing_agreement = AgreementFactory(
        partnership=partnership, created_by=ctx.users[Role.ANALYST]
    )
    ctx.sharing_batch = ImportBatch.objects.create(
        partnership=partnership,
        kind="police_street",
        file_name="2022-01-cleveland-street.csv",
        sha256="0" * 64,
        imported_by=ctx.users[Role.ANALYST],
        status=BatchStatus.FAILED,
        problems=[{"row": 2, "column": "Month", "message": "=HYPERLINK(1)"}],
    )
    # A section 17 request from a PCC to ctx.agency (which may answer it).
    from svduty.accounts.models import AgencyType
    from svduty.sharing.models import InformationRequest
    from tests.factories.accounts import AgencyFactory

    ctx.s17_request = InformationRequest.objects.create(
        partnership=partnership,
        requesting_body=AgencyFactory(
            name="Matrix PCC", agency_type=AgencyType.LOCAL_POLICING_BODY
        ),
        authority=ctx.agency,
        purpose="Monitoring",
        function="monitor",
        data_requested="Counts of exclusions",
        due_on="2099-01-01",
        created_by=ctx.users[Role.ANALYST],
    )
    # Out of scope: the same records in a partnership no matrix agency is in.
    from tests.factories.accounts import UserFactory

    council = AgencyFactory(name="Sharing Elsewhere Council")
    analyst = UserFactory(
        username="sharing-elsewhere-analyst",
        roles=[Role.ANALYST.value],
        agencies=[council],
    )
    other = PartnershipFactory(
        slug="matrix-sharing-elsewhere", name="Sharing Elsewhere"
    )
    MemberFactory(partnership=other, agency=council)
    ctx.sharing_out = SimpleNamespace(
        partnership=other,
        agreement=AgreementFactory(partnership=other, created_by=analyst),
        batch=ImportBatch.objects.create(
            partnership=other,
            kind="police_street",
            file_name="2022-01-elsewhere-street.csv",
            sha256="1" * 64,
            imported_by=analyst,
            status=BatchStatus.FAILED,
            problems=[{"row": 2, "column": "Month", "message": "Not ours"}],
        ),
        s17_request=InformationRequest.objects.create(
            partnership=other,
            requesting_body=AgencyFactory(
                name="Elsewhere PCC", agency_type=AgencyType.LOCAL_POLICING_BODY
            ),
            authority=council,
            purpose="Monitoring",
            function="monitor",
            data_requested="Counts of exclusions",
            due_on="2099-01-01",
            created_by=analyst,
        ),
    )


def _records(ctx, out: bool):
    if out:
        return ctx.sharing_out
    return SimpleNamespace(
        partnership=ctx.sharing_partnership,
        agreement=ctx.sharing_agreement,
        batch=ctx.sharing_batch,
        s17_request=ctx.s17_request,
    )


def _batch(ctx, out=False) -> dict:
    return {"pk": _records(ctx, out).batch.pk}


def _agreement(ctx, out=False) -> dict:
    return {"pk": _records(ctx, out).agreement.pk}


def _slug(ctx, out=False) -> dict:
    return {"slug": _records(ctx, out).partnership.slug}


def _s17(ctx, out=False) -> dict:
    return {"pk": _records(ctx, out).s17_request.pk}


ROUTES = [
    Route("sharing:home", allowed=IMPORTERS),
    Route("sharing:upload", allowed=IMPORTERS),
    Route("sharing:batch", allowed=IMPORTERS, kwargs=_batch),
    Route("sharing:batch_progress", allowed=IMPORTERS, kwargs=_batch),
    Route("sharing:batch_problems", allowed=IMPORTERS, kwargs=_batch),
    Route("sharing:agreement_list", allowed=AGREEMENT_MANAGERS),
    Route(
        "sharing:agreement_create",
        allowed=AGREEMENT_MANAGERS,
        kwargs=_slug,
    ),
    Route("sharing:agreement_detail", allowed=AGREEMENT_MANAGERS, kwargs=_agreement),
    Route("sharing:agreement_edit", allowed=AGREEMENT_MANAGERS, kwargs=_agreement),
    Route("sharing:agreement_withdraw", allowed=AGREEMENT_MANAGERS, kwargs=_agreement),
    Route("sharing:s17_list", allowed=AGREEMENT_MANAGERS),
    Route(
        "sharing:s17_create",
        allowed=frozenset(),
        kwargs=_slug,
        note="only users of a local policing body may ask (ctx.agency is not one)",
    ),
    Route(
        "sharing:s17_detail",
        allowed=AGREEMENT_MANAGERS,
        kwargs=_s17,
    ),
    Route(
        "sharing:s17_document",
        allowed=frozenset(),
        kwargs=_s17,
        note="only the requesting local policing body opens what was supplied",
    ),
    Route(
        "sharing:s17_figures",
        allowed=AGREEMENT_MANAGERS,
        kwargs=_s17,
        note="the asked authority (ctx.agency) supplies figures as a file",
    ),
    Route(
        "sharing:s17_figures_csv",
        allowed=frozenset(),
        kwargs=_s17,
        note="only the requesting local policing body downloads supplied figures",
    ),
    Route("api-sharing-agreements-list", allowed=AGREEMENT_MANAGERS),
    Route(
        "api-sharing-agreements-detail", allowed=AGREEMENT_MANAGERS, kwargs=_agreement
    ),
    Route("api-imports-list", allowed=IMPORTERS),
    Route("api-imports-detail", allowed=IMPORTERS, kwargs=_batch),
    Route("api-imports-problems", allowed=IMPORTERS, kwargs=_batch),
]

# Every page about one record names the other partnership's copy of it.
ROUTES = with_copies_out_of_scope(ROUTES, out=True)
