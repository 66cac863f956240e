"""Duty compliance: the GOV.UK task list, and the report for the local policing
body's monitoring (s.14) as a page and a PDF."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import requires
from svduty.partnership.coverage import coverage
from svduty.partnership.definitions import definition_in_force
from svduty.partnership.models import RelevantAuthority
from svduty.partnership.registers import register_gaps

from ..compliance import compliance_steps, for_viewer
from ..models import StrategyAction
from ..pdf import pdf_response, render_pdf
from ..publication import current_version
from .common import scoped_partnership


def _context(request, slug) -> dict:
    partnership = scoped_partnership(request, slug)
    today = timezone.localdate()
    steps = for_viewer(compliance_steps(partnership, today), request.user)
    current = current_version(partnership)
    actions = StrategyAction.objects.filter(partnership=partnership).select_related(
        "owner_agency"
    )
    return {
        "partnership": partnership,
        "steps": steps,
        "completed": sum(1 for s in steps if s.done),
        "today": today,
        "current": current,
        "definition": definition_in_force(partnership, today),
        "coverage": coverage(partnership),
        "members": partnership.members.select_related("agency").order_by(
            "statutory_role", "agency__name"
        ),
        "meetings": partnership.meetings.prefetch_related("attending_agencies")[:12],
        "overdue_actions": [a for a in actions if a.is_overdue(today)],
        "action_count": len(actions),
        "consultations": current.consultations.select_related(
            "member__agency",
            "authority__area",
            "recorded_by",
            "exception_approved_by",
        )
        if current
        else [],
        "register": RelevantAuthority.objects.filter(
            area__in=partnership.areas.all()
        ).select_related("area"),
        "register_gaps": register_gaps(partnership.areas.all()),
        # Only the sign-offs of the digest that was published stand behind it.
        "sign_offs": current.sign_offs.live()
        .filter(content_digest=current.published_digest)
        .select_related("member__agency", "definition")
        if current
        else [],
        "reviews": current.reviews.all() if current else [],
    }


@requires(Permission.VIEW_PARTNERSHIP)
def dashboard(request, slug):
    return render(request, "strategy/compliance.html", _context(request, slug))


@requires(Permission.VIEW_PARTNERSHIP)
def report(request, slug):
    return render(request, "strategy/compliance_report.html", _context(request, slug))


@requires(Permission.VIEW_PARTNERSHIP)
def report_pdf(request, slug):
    context = _context(request, slug)
    partnership = context["partnership"]
    content = render_pdf(
        "strategy/compliance_report_pdf.html", context, request=request
    )
    record(
        AuditAction.PRINT,
        actor=request.user,
        target=partnership,
        detail={"what": "duty compliance report PDF"},
    )
    return pdf_response(
        content, f"{partnership.slug}-duty-compliance-{context['today']}.pdf"
    )
