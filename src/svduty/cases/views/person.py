"""The child's page (full record or signpost), creating and changing people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from svduty.audit.models import AuditEvent
from svduty.cases import actions
from svduty.cases.forms import (
    AddressForm,
    AliasForm,
    IdentifierForm,
    PersonForm,
    RelationshipForm,
    SearchForm,
)
from svduty.cases.models import (
    AccessRequest,
    AccessStatus,
    Address,
    Alias,
    Assessment,
    CaseTeamMember,
    Disclosure,
    Event,
    Goal,
    Identifier,
    Person,
    Plan,
    PlanStatus,
    Referral,
    Relationship,
    Screening,
)
from svduty.cases.policies import (
    access_basis,
    can_see_access_log,
    user_partnership_ids,
)
from svduty.cases.search import find_people, likely_duplicates
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.params import parse_id
from svduty.core.policies import has_permission, requires
from svduty.partnership.models import Partnership

from . import record
from .common import (
    audit_view,
    findable_or_404,
    person_context,
    person_with_access,
)
from .record import Related

VIEWER_ACTIONS = ["view", "print", "export", "break_glass", "disclosure"]


def recent_viewers(person: Person, limit: int = 10):
    return list(
        AuditEvent.objects.filter(
            target_type="cases.person",
            target_id=str(person.pk),
            action__in=VIEWER_ACTIONS,
        )
        .only("occurred_at", "actor_label", "agency_label", "action", "detail")
        .order_by("-occurred_at", "-id")[:limit]
    )


def active_team(person: Person):
    return (
        CaseTeamMember.objects.filter(person=person, ended_at__isnull=True)
        .select_related("user", "agency")
        .order_by("role", "added_at")
    )


def signpost(request, person: Person):
    """What anyone in the partnership who finds the child may see: enough to know
    who to contact, nothing about why."""
    team = list(active_team(person))
    agencies = sorted({m.agency.name for m in team})
    pending = AccessRequest.objects.filter(
        person=person, requested_by=request.user, status=AccessStatus.REQUESTED
    ).exists()
    audit_view(request, person, "signpost")
    return render(
        request,
        "cases/signpost.html",
        {
            "person": person,
            "agencies": agencies,
            "lead": person.lead_professional,
            "pending_request": pending,
            "may_request": has_permission(request.user, Permission.VIEW_CASES),
            "may_break_glass": has_permission(request.user, Permission.BREAK_GLASS),
            "may_refer": has_permission(request.user, Permission.MAKE_REFERRAL),
        },
    )


@requires(Permission.SEARCH_PEOPLE)
def person_detail(request, pk: int):
    person = findable_or_404(request.user, pk)
    basis = access_basis(request.user, person)
    if basis is None:
        return signpost(request, person)
    request.cases_basis = basis
    context = person_context(request, person, "overview")
    # Recorded before the viewers are read, so that "Who has seen this record"
    # includes this view (it said "No one yet" while being viewed; issue 16).
    audit_view(request, person, "record")
    context.update(
        overview(
            person,
            with_requests=context["may_grant"],
            with_viewers=can_see_access_log(request.user, person),
        )
    )
    screening = context["screening"]
    context["screening_overdue"] = bool(
        screening is not None
        and screening.review_on
        and screening.review_on < timezone.localdate()
    )
    return render(request, "cases/person.html", context)


TEAM = (Related("user"), Related("agency"))
AGENCY = (Related("agency"),)
REFERRAL = (Related("referrer_agency"), Related("decided_by"))
ASSESSMENT = (Related("assessment_type"), Related("lead"))
COMPLETED_BY = (Related("completed_by"),)
RECORDED_BY = (Related("recorded_by"),)
# A disclosure names the agreement it was made under (issue 9, build 3).
DISCLOSED = (*RECORDED_BY, Related("agreement"))
# The requester's agencies, as User.agency_names() gives them, for the banner.
REQUESTER = (Related("requested_by", attribute={"agency_names": "_agency_names"}),)


def _overview_query(pk: int, *, with_requests: bool, with_viewers: bool):
    from django.contrib.postgres.aggregates import StringAgg
    from django.db.models import OuterRef, Subquery

    from svduty.accounts.models import Agency

    requester_agencies = Subquery(
        Agency.objects.filter(memberships__user=OuterRef("requested_by_id"))
        .order_by()
        .values("memberships__user")
        .annotate(names=StringAgg("name", ", ", order_by="name"))
        .values("names")
    )  # what User.agency_names() gives, for the banner of access requests
    requester = (
        Related(
            "requested_by",
            extra={"agency_names": requester_agencies},
            attribute={"agency_names": "_agency_names"},
        ),
    )
    sections = {
        "x_team": record.items(
            CaseTeamMember.objects.filter(person_id=pk, ended_at__isnull=True).order_by(
                "role", "added_at"
            ),
            *TEAM,
        ),
        "x_identifiers": record.items(Identifier.objects.filter(person_id=pk), *AGENCY),
        "x_aliases": record.items(Alias.objects.filter(person_id=pk)),
        "x_addresses": record.items(Address.objects.filter(person_id=pk), limit=5),
        "x_events": record.items(
            Event.objects.filter(person_id=pk).order_by("-occurred_at", "-id"),
            *AGENCY,
            limit=8,
        ),
        "x_referrals": record.items(
            Referral.objects.filter(person_id=pk).order_by("-received_at"),
            *REFERRAL,
            limit=5,
        ),
        "x_screening": record.items(
            Screening.objects.filter(person_id=pk).order_by("-screened_on", "-id"),
            *COMPLETED_BY,
            limit=1,
        ),
        "x_assessments": record.items(
            Assessment.objects.filter(person_id=pk).order_by("-started_on"),
            *ASSESSMENT,
            limit=5,
        ),
        "x_plan": record.items(
            Plan.objects.filter(person_id=pk, status=PlanStatus.CURRENT),
            limit=1,
            goals=record.items(Goal.objects.filter(plan_id=OuterRef("pk"))),
        ),
        "x_disclosures": record.items(
            Disclosure.objects.filter(person_id=pk), *DISCLOSED, limit=5
        ),
    }
    if with_requests:
        sections["x_requests"] = record.items(
            AccessRequest.objects.filter(
                person_id=pk, status=AccessStatus.REQUESTED
            ).order_by("requested_at"),
            *requester,
        )
    if with_viewers:
        sections["x_viewers"] = record.items(
            AuditEvent.objects.filter(
                target_type="cases.person",
                target_id=str(pk),
                action__in=VIEWER_ACTIONS,
            ).order_by("-occurred_at", "-id"),
            limit=10,
        )
    return Person.objects.filter(pk=pk).values(**sections)


def overview(person: Person, *, with_requests: bool, with_viewers: bool) -> dict:
    """Everything the overview lists, in one query (see `record.py`); the same rows,
    order and limits as asking for each list in turn."""
    row = record.fetch_row(
        _overview_query,
        person.pk,
        with_requests=with_requests,
        with_viewers=with_viewers,
    )
    plans = row["x_plan"] or []
    plan = record.instance(Plan, plans[0]) if plans else None
    if plan is not None:
        goals = plan.goals.all()
        goals._result_cache = record.instances(Goal, plans[0].get("goals"))
        goals._prefetch_done = True
        plan._prefetched_objects_cache = {"goals": goals}
    screenings = record.instances(Screening, row["x_screening"], *COMPLETED_BY)
    return {
        "team": record.instances(CaseTeamMember, row["x_team"], *TEAM),
        "identifiers": record.instances(Identifier, row["x_identifiers"], *AGENCY),
        "aliases": record.instances(Alias, row["x_aliases"]),
        "addresses": record.instances(Address, row["x_addresses"]),
        "events": record.instances(Event, row["x_events"], *AGENCY),
        "referrals": record.instances(Referral, row["x_referrals"], *REFERRAL),
        "screening": screenings[0] if screenings else None,
        "assessments": record.instances(Assessment, row["x_assessments"], *ASSESSMENT),
        "plan": plan,
        "access_requests": record.instances(
            AccessRequest, row.get("x_requests"), *REQUESTER
        ),
        "viewers": record.instances(AuditEvent, row.get("x_viewers"))
        if with_viewers
        else None,
        "disclosures": record.instances(Disclosure, row["x_disclosures"], *DISCLOSED),
    }


def _partnerships(user):
    return Partnership.objects.filter(pk__in=user_partnership_ids(user)).order_by(
        "name"
    )


def _may_create(user) -> bool:
    return has_permission(user, Permission.EDIT_CASES) or has_permission(
        user, Permission.MAKE_REFERRAL
    )


@requires(Permission.SEARCH_PEOPLE)
def person_new(request):
    """Add a person. The likely matches are shown first, so that nobody creates a
    second record for a child who is already known."""
    if not _may_create(request.user):
        raise PermissionDenied
    next_step = request.GET.get("next") or request.POST.get("next") or ""
    form = PersonForm(
        request.POST or None,
        partnerships=_partnerships(request.user),
        initial={"partnership": _partnerships(request.user).first()},
    )
    matches = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.POST.get("confirm_new"):
            matches = likely_duplicates(
                Person.objects.searchable_by(request.user),
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data.get("date_of_birth"),
            )
    if not matches and (
        done := form_action(
            request,
            form,
            lambda data: actions.create_person(
                by=request.user,
                partnership=data["partnership"],
                **form.person_fields(),
            ),
        )
    ):
        person = done.result
        messages.success(request, f"Record created for {person}")
        if next_step == "referral":
            return redirect("cases:referral_new", pk=person.pk)
        return redirect("cases:person", pk=person.pk)
    return render(
        request,
        "cases/person_form.html",
        {"form": form, "matches": matches, "next": next_step, "creating": True},
    )


@requires(Permission.EDIT_CASES)
def person_edit(request, pk: int):
    person = person_with_access(request, pk, edit=True)
    initial = {f: getattr(person, f) for f in actions.people.PERSON_FIELDS}
    initial["version"] = person.version
    form = PersonForm(request.POST or None, initial=initial, editing=True)
    if form_action(
        request,
        form,
        lambda data: actions.update_person(
            by=request.user,
            person=person,
            expected_version=data["version"],
            **form.person_fields(),
        ),
    ):
        messages.success(request, "Personal details saved")
        return redirect("cases:person", pk=person.pk)
    context = person_context(request, person, "overview")
    context.update(form=form, creating=False)
    return render(request, "cases/person_form.html", context)


def _simple_add(request, pk, form_class, action, title, success, fields=None):
    person = person_with_access(request, pk, edit=True)
    form = form_class(request.POST or None)
    if form_action(
        request, form, lambda data: action(by=request.user, person=person, **data)
    ):
        messages.success(request, success)
        return redirect("cases:person", pk=person.pk)
    context = person_context(request, person, "overview")
    context.update(form=form, title=title)
    return render(request, "cases/simple_form.html", context)


@requires(Permission.EDIT_CASES)
def identifier_add(request, pk: int):
    return _simple_add(
        request,
        pk,
        IdentifierForm,
        actions.add_identifier,
        "Add an identifier",
        "Identifier added",
    )


@requires(Permission.EDIT_CASES)
def alias_add(request, pk: int):
    return _simple_add(
        request, pk, AliasForm, actions.add_alias, "Add another name", "Name added"
    )


@requires(Permission.EDIT_CASES)
def address_add(request, pk: int):
    def add(*, by, person, from_date=None, **data):
        return actions.add_address(by=by, person=person, from_date=from_date, **data)

    return _simple_add(
        request,
        pk,
        AddressForm,
        add,
        "Add an address",
        "Address added. The previous address is kept in the history",
    )


@requires(Permission.EDIT_CASES)
def relationship_add(request, pk: int):
    person = person_with_access(request, pk, edit=True)
    search_form = SearchForm(request.GET or None)
    candidates = []
    if search_form.is_bound and search_form.is_valid():
        candidates = [
            m.person
            for m in find_people(
                Person.objects.searchable_by(request.user).exclude(pk=person.pk),
                name=search_form.cleaned_data.get("q") or "",
                date_of_birth=search_form.cleaned_data.get("date_of_birth"),
            )
        ]
    if request.method == "POST":
        ids = [request.POST.get("related")] if request.POST.get("related") else []
        candidates = list(
            Person.objects.searchable_by(request.user).filter(
                pk__in=[i for i in map(parse_id, ids) if i is not None]
            )
        )
    form = RelationshipForm(request.POST or None, candidates=candidates)
    if form_action(
        request,
        form,
        lambda data: actions.add_relationship(
            by=request.user,
            person=person,
            related=candidates[0],
            kind=data["kind"],
            note=data["note"],
        ),
    ):
        messages.success(request, f"{candidates[0]} added to {person}'s network")
        return redirect("cases:network", pk=person.pk)
    context = person_context(request, person, "network")
    context.update(
        search_form=search_form,
        form=form,
        searched=search_form.is_bound,
        candidates=candidates,
    )
    return render(request, "cases/relationship_form.html", context)


@requires(Permission.VIEW_CASES)
def network(request, pk: int):
    """The child's relationships as a table and a diagram (the diagram is drawn from
    the same rows, so the table is its accessible equivalent)."""
    person = person_with_access(request, pk)
    outgoing = list(
        Relationship.objects.filter(person=person).select_related("related")
    )
    incoming = list(
        Relationship.objects.filter(related=person).select_related("person")
    )
    rows = [
        (r.related, r.get_kind_display(), r.note, "recorded on this record")
        for r in outgoing
    ]
    rows += [
        (r.person, f"{r.get_kind_display()} of", r.note, "recorded on their record")
        for r in incoming
    ]
    visible_ids = set(
        Person.objects.visible_to(request.user)
        .filter(pk__in=[p.pk for p, *_ in rows])
        .values_list("pk", flat=True)
    )
    nodes = _layout(person, rows)
    audit_view(request, person, "network")
    context = person_context(request, person, "network")
    context.update(rows=rows, nodes=nodes, visible_ids=visible_ids)
    return render(request, "cases/network.html", context)


def _layout(person, rows):
    """Place related people on a circle around the child (SVG coordinates)."""
    import math

    count = len(rows)
    nodes = []
    for index, (other, kind, _note, _where) in enumerate(rows):
        angle = 2 * math.pi * index / max(count, 1) - math.pi / 2
        nodes.append(
            {
                "person": other,
                "kind": kind,
                "x": round(300 + 200 * math.cos(angle)),
                "y": round(220 + 160 * math.sin(angle)),
            }
        )
    return nodes


def reverse_person(person) -> str:
    return reverse("cases:person", args=[person.pk])
