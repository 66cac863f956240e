"""What every children-at-risk view shares: fetching a child within the policy,
auditing each view, the language check, and turning action errors into form errors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.language import find_phrases
from svduty.cases.models import LanguageRule, Person, Plan, PlanStatus
from svduty.cases.policies import (
    access_basis,
    basis_from_row,
    can_edit,
    can_grant_access,
    findable,
    prime_user,
    with_access,
)
from svduty.core.authorisation import Permission
from svduty.core.policies import OutOfScope, get_visible_or_404, has_permission
from svduty.core.viewing import note_shown


def person_with_access(request, pk: int, *, edit: bool = False):
    """The child's full record, or 404 if `request.user` may not read it (a signpost
    user is sent to the signpost by the person page, never here)."""
    prime_user(request.user)
    person = get_visible_or_404(
        with_access(
            Person.objects.select_related("partnership", "lead_professional"),
            request.user,
        ),
        request.user,
        pk=pk,
    )
    basis = basis_from_row(request.user, person)
    if basis is None:
        raise OutOfScope("cases.person", {"pk": pk}, exists=True)
    if edit and not can_edit(request.user, person):
        raise PermissionDenied
    request.cases_basis = basis
    return person


def findable_or_404(user, pk: int) -> Person:
    """A child the user may find in a search (signpost) or read in full; anyone else
    gets 404, exactly as if the child did not exist. The person comes with the
    user's access basis (`access_basis` answers without asking again) and the id of
    the current plan (`person_context`), from one query compiled once per process
    (`policies.findable`)."""
    prime_user(user)
    person = findable(user, pk)
    if person is None:
        raise OutOfScope("cases.person", {"pk": pk}, exists=False)
    basis = basis_from_row(user, person)
    if basis is None and not getattr(person, "cases_searchable", False):
        raise OutOfScope("cases.person", {"pk": pk}, exists=True)
    note_shown(person)
    return person


def audit_view(request, person: Person, page: str, action=AuditAction.VIEW, **detail):
    """One audit event per view, print or export of a child's personal data."""
    basis = getattr(request, "cases_basis", None)
    record(
        action,
        actor=request.user,
        target=person,
        detail={"page": page, **({"basis": str(basis)} if basis else {}), **detail},
    )


def person_context(request, person: Person, tab: str) -> dict:
    # The "Plan" tab opens the current plan itself when the user may see one (the
    # plans page would only redirect there). A plan is visible exactly when the
    # child's full record is (`ChildRecordQuerySet.visible_to`), which the access
    # basis already says: the person was fetched with it (`with_access`), so the
    # policy's subqueries are not built and run a second time.
    # `findable_or_404` fetched the current plan's id with the person.
    if access_basis(request.user, person) is None:
        current = None
    elif hasattr(person, "cases_current_plan"):
        current = person.cases_current_plan
    else:
        current = (
            Plan.objects.filter(person=person, status=PlanStatus.CURRENT)
            .values_list("pk", flat=True)
            .first()
        )
    may_grant = can_grant_access(request.user, person)
    return {
        "plan_url": reverse("cases:plan", kwargs={"pk": person.pk, "plan_pk": current})
        if current is not None
        else None,
        "person": person,
        "tab": tab,
        "basis": getattr(request, "cases_basis", None),
        "may_edit": can_edit(request.user, person),
        "may_grant": may_grant,
        # Restricting a record also needs VIEW_RESTRICTED (`access.restrict`): the
        # link is shown only to those it works for.
        "may_restrict": may_grant
        and has_permission(request.user, Permission.VIEW_RESTRICTED),
    }


def active_rules() -> list[tuple[str, str, str]]:
    return list(
        LanguageRule.objects.filter(is_active=True).values_list(
            "phrase", "alternative", "explanation"
        )
    )


def language_findings(form) -> list:
    """Victim-blaming or criminalising phrases in the form's free text."""
    names = getattr(form, "language_fields", ())
    text = "\n".join(str(form.cleaned_data.get(n) or "") for n in names)
    return find_phrases(text, active_rules()) if text.strip() else []


def needs_language_review(request, form) -> list:
    """The checker never blocks: findings are shown once, with suggestions, and the
    practitioner may change the wording or save as it is."""
    if request.POST.get("language_reviewed"):
        return []
    return language_findings(form)
