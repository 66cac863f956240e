"""Access matrix for the information sharing pages."""

from __future__ import annotations

from svduty.core.authorisation import Role
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.factories.sharing import AgreementFactory

from . import Route

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


def _batch(ctx) -> dict:
    return {"pk": ctx.sharing_batch.pk}


def _agreement(ctx) -> dict:
    return {"pk": ctx.sharing_agreement.pk}


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
        kwargs=lambda ctx: {"slug": ctx.sharing_partnership.slug},
    ),
    Route("sharing:agreement_detail", allowed=AGREEMENT_MANAGERS, kwargs=_agreement),
    Route("sharing:agreement_edit", allowed=AGREEMENT_MANAGERS, kwargs=_agreement),
    Route("sharing:s17_list", allowed=AGREEMENT_MANAGERS),
    Route(
        "sharing:s17_create",
        allowed=frozenset(),
        kwargs=lambda ctx: {"slug": ctx.sharing_partnership.slug},
        note="only users of a local policing body may ask (ctx.agency is not one)",
    ),
    Route(
        "sharing:s17_detail",
        allowed=AGREEMENT_MANAGERS,
        kwargs=lambda ctx: {"pk": ctx.s17_request.pk},
    ),
    Route(
        "sharing:s17_document",
        allowed=frozenset(),
        kwargs=lambda ctx: {"pk": ctx.s17_request.pk},
        note="only the requesting local policing body opens what was supplied",
    ),
]
