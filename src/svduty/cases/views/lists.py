"""Case lists: my children, my team's children, due and overdue work, search."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, Window
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.forms import SearchForm
from svduty.cases.models import (
    AccessRequest,
    AccessStatus,
    Assessment,
    AssessmentStatus,
    CaseTeamMember,
    Contribution,
    ContributionStatus,
    MissingEpisode,
    Person,
    PlanAction,
    PlanActionStatus,
    PlanStatus,
    Referral,
    RiskLevel,
)
from svduty.cases.policies import (
    full_record_q,
    prime_user,
    stand_in_viewer,
    user_partnership_ids,
)
from svduty.cases.search import find_people
from svduty.core import compiled
from svduty.core.authorisation import Permission
from svduty.core.params import parse_page
from svduty.core.policies import has_permission, requires, user_permissions
from svduty.core.templatetags.govuk import govuk_short_date

PAGE_SIZE = 25

SORTS = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "dob": ("date_of_birth", "id"),
    "-dob": ("-date_of_birth", "id"),
    "risk": ("risk_rank", "id"),
    "-risk": ("-risk_rank", "id"),
    "due": ("next_due_on", "id"),
    "-due": ("-next_due_on", "id"),
    "activity": ("last_event_at", "id"),
    "-activity": ("-last_event_at", "id"),
}

VIEWS = {
    "mine": "My children",
    "team": "My agency's children",
    "no_plan": "High risk without a current plan",
}


def _risk_rank():
    from django.db.models import Case, IntegerField, Value, When

    return Case(
        When(risk_level=RiskLevel.HIGH, then=Value(3)),
        When(risk_level=RiskLevel.MEDIUM, then=Value(2)),
        When(risk_level=RiskLevel.LOW, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


SORT_COLUMNS = [
    ("name", "Name"),
    ("dob", "Date of birth"),
    ("risk", "Risk"),
    (None, "Plan"),
    ("due", "Next due"),
    ("activity", "Last event"),
    (None, "Lead professional"),
]

# The govuk_tag markup, built once.
TAG = '<strong class="govuk-tag govuk-tag--{}">{}</strong>'
RISK_CELLS = {
    RiskLevel.HIGH: format_html(TAG, "red", "High"),
    RiskLevel.MEDIUM: format_html(TAG, "orange", "Medium"),
    RiskLevel.LOW: format_html(TAG, "green", "Low"),
}
OVERDUE_TAG = format_html(TAG, "red", "Overdue")


def case_list_queryset(user, view: str, now=None):
    """Every column the list shows is on the person row (denormalised by actions), so
    the page costs the same two queries however long the list is."""
    mine = CaseTeamMember.objects.filter(user=user, ended_at__isnull=True)
    if view == "team" and has_permission(user, Permission.GRANT_CASE_ACCESS):
        q = full_record_q(user, now)
        scope = Person.objects.filter(q) if q is not None else Person.objects.none()
    else:
        scope = Person.objects.filter(pk__in=mine.values("person_id"))
    if view == "no_plan":
        scope = scope.filter(risk_level=RiskLevel.HIGH, has_current_plan=False)
    return scope


def _list_queryset(user, view, sort, risk, overdue, today, now):
    queryset = case_list_queryset(user, view, now)
    if risk:
        queryset = queryset.filter(risk_level__in=risk)
    if overdue:
        queryset = queryset.filter(next_due_on__lt=today)
    queryset = queryset.annotate(risk_rank=_risk_rank()).order_by(*SORTS[sort])
    if sort.lstrip("-") in ("due", "activity"):
        field = "next_due_on" if sort.lstrip("-") == "due" else "last_event_at"
        queryset = queryset.order_by(
            F(field).desc(nulls_last=True)
            if sort.startswith("-")
            else F(field).asc(nulls_last=True),
            "id",
        )
    # Plain rows of the columns the table shows, not 40 Person and User instances
    # of 48 columns each.
    return queryset.values(*ROW_COLUMNS)


@requires(Permission.VIEW_CASES)
def my_cases(request):
    view = request.GET.get("view", "mine")
    if view not in VIEWS or (
        view == "team"
        and not has_permission(request.user, Permission.GRANT_CASE_ACCESS)
    ):
        view = "mine"
    sort = request.GET.get("sort", "due")
    if sort not in SORTS:
        sort = "due"
    prime_user(request.user)  # the audit event's agency label, with no extra query
    risk = request.GET.getlist("risk")
    risk = [r for r in risk if r in RiskLevel.values]
    overdue = request.GET.get("overdue") == "yes"
    today = timezone.localdate()
    page = _page(request.user, view, sort, risk, overdue, today, request.GET)
    record(
        AuditAction.VIEW,
        actor=request.user,
        target_type="cases.caselist",
        target_label=VIEWS[view],
        detail={"view": view, "page": page.number, "people": [p["pk"] for p in page]},
    )
    return render(
        request,
        "cases/my_cases.html",
        {
            "page": page,
            "rows": _rows(page, today),
            "headers": _headers(sort),
            "view": view,
            "views": VIEWS,
            "view_label": VIEWS[view],
            "may_see_team": has_permission(request.user, Permission.GRANT_CASE_ACCESS),
            "sort": sort,
            "risk": risk,
            "risk_levels": RiskLevel.choices,
            "overdue": overdue,
            "today": today,
            "filters_applied": bool(risk or overdue),
        },
    )


def _page(user, view, sort, risk, overdue, today, query) -> Page:
    """One page of the list and the list's length in one query (COUNT(*) OVER ()),
    instead of the paginator's separate COUNT. A page past the end (an old link)
    falls back to counting and shows the last page, as `Paginator.get_page` does.

    The query is compiled once per process for each choice of view, sort, filters
    and page, and set of permissions (`svduty.core.compiled`): only the user, the
    user's agencies, today and the time change between requests."""
    number = parse_page(query.get("page"))
    start = (number - 1) * PAGE_SIZE
    values = {
        "viewer": user.pk,
        "agencies": user.agency_ids(),
        "today": today,
        "now": timezone.now(),
    }

    def build(*, viewer, agencies, today, now):
        stand_in = stand_in_viewer(user, viewer, agencies, [])
        queryset = _list_queryset(stand_in, view, sort, risk, overdue, today, now)
        return queryset.annotate(list_total=Window(Count("*")))[
            start : start + PAGE_SIZE
        ]

    key = (
        "cases.my_cases",
        user_permissions(user),
        view,
        sort,
        tuple(risk),
        overdue,
        start,
    )
    rows = compiled.run(key, build, values)
    if rows:
        paginator = Paginator(rows, PAGE_SIZE)
        paginator.count = rows[0]["list_total"]  # cached_property: no COUNT query
        return Page(rows, number, paginator)
    queryset = _list_queryset(user, view, sort, risk, overdue, today, None)
    return Paginator(queryset, PAGE_SIZE).get_page(number)


#: What `_rows` shows of each child (and the lead professional's name).
ROW_COLUMNS = (
    "pk",
    "last_name",
    "first_name",
    "date_of_birth",
    "risk_level",
    "has_current_plan",
    "next_due_on",
    "last_event_at",
    "lead_professional__full_name",
    "lead_professional__username",
)


def _rows(page, today) -> list[dict]:
    """Display values for each child, worked out once in Python rather than with a
    template tag or filter per cell (the table was most of the page's time)."""
    placeholder = 999999999
    url = reverse("cases:person", args=[placeholder])
    rows = []
    for p in page:
        due = p["next_due_on"]
        if due:
            due_text = govuk_short_date(due)
            due_cell = (
                format_html("{} {}", due_text, OVERDUE_TAG) if due < today else due_text
            )
        else:
            due_cell = "Nothing due"
        last = p["last_event_at"]
        # As User.get_full_name: the full name, else the username.
        lead = p["lead_professional__full_name"] or p["lead_professional__username"]
        rows.append(
            {
                "url": url.replace(str(placeholder), str(p["pk"])),
                "name": f"{p['last_name']}, {p['first_name']}",
                "dob": govuk_short_date(p["date_of_birth"])
                if p["date_of_birth"]
                else "Not known",
                "risk": RISK_CELLS.get(p["risk_level"], "Not screened"),
                "plan": "Yes" if p["has_current_plan"] else "No",
                "due": due_cell,
                "last_event": govuk_short_date(timezone.localtime(last))
                if last
                else "None",
                "lead": lead or "Not assigned",
            }
        )
    return rows


def _headers(sort: str) -> list[dict]:
    headers = []
    for key, label in SORT_COLUMNS:
        if key is None:
            headers.append({"label": label})
            continue
        aria = (
            "ascending"
            if sort == key
            else "descending"
            if sort == f"-{key}"
            else "none"
        )
        headers.append(
            {
                "label": label,
                "aria_sort": aria,
                "sort": f"-{key}" if sort == key else key,
            }
        )
    return headers


LIMIT = 50


@requires(Permission.VIEW_CASES)
def work(request):
    """Due and overdue work for the signed-in practitioner, and for managers the
    overdue actions owned by their agency (issue: overdue actions flagged to their
    owner and manager)."""
    user = request.user
    today = timezone.localdate()
    open_status = [PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS]
    actions = (
        PlanAction.objects.filter(
            owner=user, status__in=open_status, plan__status=PlanStatus.CURRENT
        )
        .select_related("plan__person")
        .order_by("due_on", "id")[:LIMIT]
    )
    agency_overdue = []
    if has_permission(user, Permission.GRANT_CASE_ACCESS):
        agency_overdue = (
            PlanAction.objects.filter(
                owner_agency_id__in=user.agency_ids(),
                status__in=open_status,
                plan__status=PlanStatus.CURRENT,
                due_on__lt=today,
            )
            .exclude(owner=user)
            .select_related("plan__person", "owner")
            .order_by("due_on", "id")[:LIMIT]
        )
    assessments = (
        Assessment.objects.filter(lead=user)
        .exclude(status=AssessmentStatus.SIGNED_OFF)
        .select_related("person", "assessment_type")
        .order_by("due_on")[:LIMIT]
    )
    to_sign_off = []
    if has_permission(user, Permission.SIGN_OFF_ASSESSMENTS):
        to_sign_off = (
            Assessment.objects.visible_to(user)
            .filter(status=AssessmentStatus.SUBMITTED)
            .exclude(lead=user)
            .select_related("person", "assessment_type", "lead")
            .order_by("due_on")[:LIMIT]
        )
    contributions = (
        Contribution.objects.filter(
            agency_id__in=user.agency_ids(), status=ContributionStatus.REQUESTED
        )
        .select_related("assessment__person", "agency", "requested_by")
        .order_by("due_on")[:LIMIT]
    )
    interviews = (
        MissingEpisode.objects.filter(
            person__in=CaseTeamMember.objects.filter(
                user=user, ended_at__isnull=True
            ).values("person_id"),
            interview_completed_at__isnull=True,
            interview_not_held_reason="",
            interview_due_at__isnull=False,
        )
        .select_related("person")
        .order_by("interview_due_at")[:LIMIT]
    )
    access_requests = (
        AccessRequest.objects.filter(status=AccessStatus.REQUESTED)
        .filter(
            Q(person__lead_professional=user)
            | Q(person__in=Person.objects.visible_to(user))
            if has_permission(user, Permission.GRANT_CASE_ACCESS)
            else Q(person__lead_professional=user)
        )
        .exclude(requested_by=user)
        .select_related("person", "requested_by")
        .order_by("requested_at")[:LIMIT]
    )
    my_referrals = (
        Referral.objects.filter(referred_by=user)
        .select_related("person", "decided_by")
        .order_by("-received_at")[:10]
    )
    record(
        AuditAction.VIEW,
        actor=user,
        target_type="cases.worklist",
        target_label="Due and overdue work",
    )
    return render(
        request,
        "cases/work.html",
        {
            "today": today,
            "now": timezone.now(),
            "actions": actions,
            "agency_overdue": agency_overdue,
            "assessments": assessments,
            "to_sign_off": to_sign_off,
            "contributions": contributions,
            "interviews": interviews,
            "access_requests": access_requests,
            "my_referrals": my_referrals,
        },
    )


@requires(Permission.SEARCH_PEOPLE)
def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        results = find_people(
            Person.objects.searchable_by(request.user),
            name=form.cleaned_data.get("q") or "",
            date_of_birth=form.cleaned_data.get("date_of_birth"),
        )
        record(
            AuditAction.SEARCH,
            actor=request.user,
            target_type="cases.person",
            detail={
                "name": form.cleaned_data.get("q") or "",
                "date_of_birth": str(form.cleaned_data.get("date_of_birth") or ""),
                "results": len(results),
            },
        )
    return render(
        request,
        "cases/search.html",
        {
            "form": form,
            "results": results,
            "may_create": has_permission(request.user, Permission.MAKE_REFERRAL),
            "partnership_ids": user_partnership_ids(request.user),
        },
    )
