import datetime as dt

from django.utils import timezone

from svduty.core.authorisation import Role

from . import Route

DPO = frozenset({Role.AUDITOR})

ROUTES = [
    Route("privacy:home", allowed=DPO),
    Route("privacy:retention", allowed=DPO),
    Route("privacy:erasure_log", allowed=DPO),
]


def setup(ctx):
    from svduty.privacy.models import SubjectAccessRequest
    from tests.factories.cases import PersonFactory

    person = PersonFactory()
    dpo = ctx.users[Role.AUDITOR]
    ctx.sar = SubjectAccessRequest.objects.create(
        subject_id=person.pk,
        subject_label=str(person),
        received_on=dt.date(2026, 1, 5),
        due_on=dt.date(2026, 2, 5),
        opened_by=dpo,
        reviewed_at=timezone.now(),
    )


ROUTES += [
    Route("privacy:sar_list", allowed=DPO),
    Route(
        "privacy:sar_start",
        allowed=DPO,
        method="post",
        expect=404,
        note="an empty POST is a 404 for a DPO (no such person); the matrix sends no "
        "subject_id (its data is fixed before setup makes the person)",
    ),
    Route("privacy:sar_review", allowed=DPO, kwargs=lambda ctx: {"pk": ctx.sar.pk}),
    Route("privacy:sar_export", allowed=DPO, kwargs=lambda ctx: {"pk": ctx.sar.pk}),
    Route("privacy:sar_export_pdf", allowed=DPO, kwargs=lambda ctx: {"pk": ctx.sar.pk}),
]
