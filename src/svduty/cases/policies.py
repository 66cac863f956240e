"""Who may see what in a child's record (issue 4, point 8; architecture D7).

- The case team (practitioners working with the child) see the full record.
- A manager (GRANT_CASE_ACCESS) sees the full record of children their agency works
  with, so that they can supervise, sign off and grant access.
- Anyone else in the partnership who may search finds only a signpost (name, date of
  birth, agencies involved, lead professional's contact) and may ask for access; the
  lead professional or a manager grants it for a limited time.
- Restricted records do not appear in searches except to VIEW_RESTRICTED holders (and
  to the case team, who already know the child).
- The named lead of an open action in the child's current plan (often someone
  outside the case team, named at a meeting) reads the record while the action is
  open, and so do the team managers of the agency leading it: read-only.
- Break-glass gives time-limited access in an emergency, with a mandatory reason,
  and tells the data protection officer.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Model,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

    from .models import Person

_M = TypeVar("_M", bound=Model)

#: Whoever asks: once past a permission check, a signed-in `accounts.User` (the ORM
#: lookups below need one); before it, possibly the anonymous user or nobody. mypy
#: cannot follow that narrowing through `has_permission`, so this stays `Any`.
Viewer = Any


class Basis(StrEnum):
    TEAM = "case team"
    MANAGER = "manager of an agency on the case team"
    GRANTED = "access granted on request"
    ACTION_LEAD = "named lead of an action in the child's plan"
    BREAK_GLASS = "break-glass"


def prime_user(user: Viewer) -> None:
    """Load the signed-in user's agencies (ids and names, as `User.agency_ids()` and
    `User.agency_names()` give them) and their partnerships in one query, and keep
    them on the user for the rest of the request. Without this a child's page asks
    three times: agency ids for the policy, partnerships for the signpost scope, and
    agency names for the audit event."""
    if not getattr(user, "is_authenticated", False) or (
        getattr(user, "_cases_partnership_ids", None) is not None
        and getattr(user, "_agency_names", None) is not None
    ):
        return
    from django.contrib.postgres.aggregates import ArrayAgg

    from svduty.accounts.models import Agency
    from svduty.core import compiled

    def build(*, viewer: int) -> QuerySet[Any, Any]:
        return (
            Agency.objects.filter(memberships__user_id=viewer)
            .annotate(
                partnership_ids=ArrayAgg(
                    "partnership_memberships__partnership_id", distinct=True
                )
            )
            .values("pk", "name", "partnership_ids")
        )  # Agency's default ordering (name), as User.agencies.all() uses

    # Compiled once per process: only the user's id changes.
    rows = [
        (row["pk"], row["name"], row["partnership_ids"])
        for row in compiled.run(("cases.prime_user",), build, {"viewer": user.pk})
    ]
    user._agency_ids = {pk for pk, _name, _ids in rows}
    user._agency_names = ", ".join(name for _pk, name, _ids in rows)
    user._cases_partnership_ids = {i for *_, ids in rows for i in ids if i is not None}


def user_partnership_ids(user: Viewer) -> set[int]:
    cached: set[int] | None = getattr(user, "_cases_partnership_ids", None)
    if cached is None:
        from svduty.partnership.models import PartnershipMember

        cached = set(
            PartnershipMember.objects.filter(
                agency_id__in=user.agency_ids()
            ).values_list("partnership_id", flat=True)
        )
        user._cases_partnership_ids = cached
    return cached


def _team_person_ids(user: Viewer) -> QuerySet[Any, Any]:
    from .models import CaseTeamMember

    return CaseTeamMember.objects.filter(user=user, ended_at__isnull=True).values(
        "person_id"
    )


def _open_action_person_ids(**owner: Any) -> QuerySet[Any, Any]:
    """The children whose current plan has an open action led by `owner` (a user,
    or agencies): the named lead must read the plan to do the action, and their
    work list (`views.lists.work`) links to it."""
    from .models import PlanAction, PlanActionStatus, PlanStatus

    return PlanAction.objects.filter(
        status__in=[PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS],
        plan__status=PlanStatus.CURRENT,
        **owner,
    ).values("plan__person_id")


def access_conditions(
    user: Viewer, now: dt.datetime | None = None
) -> list[tuple[Basis, Q]]:
    """The one definition of full access: for each basis, in the order it is
    reported, a condition on `Person` that holds for the people `user` may read on
    that basis. The filter (`full_record_q`), the annotation (`with_access` and
    `basis_from_row`) and the single-object check (`access_basis`) are all built
    from these expressions (tests/integration/cases/test_access_rules.py shows that
    the three agree)."""
    if not has_permission(user, Permission.VIEW_CASES):
        return []
    from .models import AccessRequest, AccessStatus, BreakGlass, CaseTeamMember

    now = now or timezone.now()
    conditions = [(Basis.TEAM, Q(pk__in=_team_person_ids(user)))]
    if has_permission(user, Permission.GRANT_CASE_ACCESS):
        manager = Q(
            pk__in=CaseTeamMember.objects.filter(
                agency_id__in=user.agency_ids(), ended_at__isnull=True
            ).values("person_id")
        )
        if not has_permission(user, Permission.VIEW_RESTRICTED):
            manager &= Q(is_restricted=False)
        conditions.append((Basis.MANAGER, manager))
    conditions.append(
        (
            Basis.GRANTED,
            Q(
                pk__in=AccessRequest.objects.filter(
                    requested_by=user, status=AccessStatus.GRANTED, expires_at__gt=now
                ).values("person_id")
            ),
        )
    )
    # Named leads read the plan they have an action in (a meeting or the case team
    # gave it to someone outside the team), and their managers, who are shown
    # their agency's overdue actions, read it with them: read-only, as long as
    # the action is open in the current plan.
    action_lead = Q(pk__in=_open_action_person_ids(owner=user))
    if has_permission(user, Permission.GRANT_CASE_ACCESS):
        supervised = Q(
            pk__in=_open_action_person_ids(owner_agency_id__in=user.agency_ids())
        )
        if not has_permission(user, Permission.VIEW_RESTRICTED):
            supervised &= Q(is_restricted=False)
        action_lead |= supervised
    conditions.append((Basis.ACTION_LEAD, action_lead))
    conditions.append(
        (
            Basis.BREAK_GLASS,
            Q(
                pk__in=BreakGlass.objects.filter(user=user, expires_at__gt=now).values(
                    "person_id"
                )
            ),
        )
    )
    return conditions


def full_record_q(user: Viewer, now: dt.datetime | None = None) -> Q | None:
    """A filter for the people whose full record `user` may read, or None."""
    conditions = access_conditions(user, now)
    if not conditions:
        return None
    q = Q()
    for _basis, condition in conditions:
        q |= condition
    return q


def _prefixed(q: Q, prefix: str) -> Q:
    out = Q()
    out.connector = q.connector
    out.negated = q.negated
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_prefixed(child, prefix))
        else:
            lookup, value = cast(tuple[str, Any], child)
            children.append((prefix + lookup, value))
    out.children = children
    return out


def related_full_record_q(
    user: Viewer, field: str, now: dt.datetime | None = None
) -> Q | None:
    """`full_record_q` for rows that point at a person through `field` (a
    referral's "person"): the same conditions, applied to the rows themselves.
    ``rows.filter(person__in=Person.objects.visible_to(user))`` makes PostgreSQL
    test every person against the conditions; this tests only the rows' own
    people, which is what a long list of one service's referrals needs. `now` as
    for `access_conditions` (a stand-in when compiled once)."""
    q = full_record_q(user, now)
    return None if q is None else _prefixed(q, f"{field}__")


def _correlated(q: Q, ref: str) -> Q:
    """`q` (a condition on `Person`) as a condition on rows whose column `ref`
    holds the person's id: each ``pk__in=<person ids>`` becomes an EXISTS that
    looks up that one person in the subquery, and each other lookup an EXISTS on
    the person's row."""
    from .models import Person

    out = Q()
    out.connector = q.connector
    out.negated = q.negated
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_correlated(child, ref))
            continue
        lookup, value = cast(tuple[str, Any], child)
        if lookup == "pk__in" and isinstance(value, QuerySet):
            (column,) = value.query.values_select
            children.append(Exists(value.filter(**{column: OuterRef(ref)})))
        else:
            children.append(
                Exists(Person.objects.filter(pk=OuterRef(ref), **{lookup: value}))
            )
    out.children = children
    return out


def correlated_full_record_q(user: Viewer, ref: str) -> Q | None:
    """`full_record_q` for rows that hold a person's id in the column (or
    annotation) `ref`, asked of each row's own person: one index look-up per row
    and basis (case team, manager, granted, break-glass).

    ``rows.filter(person__in=Person.objects.visible_to(user))``, and the prefixed
    form of `related_full_record_q`, make PostgreSQL build the whole set of people
    the user may see first: for a manager whose agency is on 100,000 case teams,
    that is 100,000 case-team rows read for a page of 200. Correlated, PostgreSQL
    looks up only the rows' own people when they are few (a month's records), and
    still hashes the whole set when they are many (it chooses by its estimate)."""
    conditions = access_conditions(user)
    if not conditions:
        return None
    q = Q()
    for _basis, condition in conditions:
        q |= _correlated(condition, ref)
    return q


class InArray(Func):
    """``expression = ANY(array)``: true where the value is in the array (an
    `ArraySubquery`, which PostgreSQL computes once per query)."""

    output_field = BooleanField()

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[str | int, ...]]:
        value, array = self.get_source_expressions()
        value_sql, value_params = compiler.compile(value)
        array_sql, array_params = compiler.compile(array)
        params = (*value_params, *array_params)
        return f"({value_sql} = ANY({array_sql}))", params


def _narrowed(q: Q, ids: ArraySubquery) -> Q:
    """`q` with each ``pk__in=<person ids>`` subquery limited to `ids`."""
    out = Q()
    out.connector = q.connector
    out.negated = q.negated
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_narrowed(child, ids))
            continue
        lookup, value = cast(tuple[str, Any], child)
        if lookup == "pk__in" and isinstance(value, QuerySet):
            (column,) = value.query.values_select
            value = value.filter(InArray(F(column), ids))
        children.append((lookup, value))
    out.children = children
    return out


def readable_among(
    user: Viewer, candidates: QuerySet[Any, Any], now: dt.datetime | None = None
) -> QuerySet[Any, Any]:
    """The ids of the people among `candidates` (a query of person ids, one
    column) whose full record the user may read: `full_record_q`, asked of those
    people only. Use as ``rows.filter(person__in=readable_among(user, ...))``.

    ``Person.objects.visible_to(user)`` makes PostgreSQL build the whole set of
    people the user may see: for a manager whose agency is on 100,000 case teams,
    100,000 case-team rows and people read for a page about a few hundred. Here
    the candidates are computed once (an array) and each basis looks them up in
    the case teams, grants and break-glass by index, so a month's drill-down
    costs the same for that manager as for a practitioner with 40 children.
    `now` as for `access_conditions` (a stand-in when compiled once)."""
    from .models import Person

    conditions = access_conditions(user, now)
    if not conditions:
        return Person.objects.none().values("pk")
    ids = ArraySubquery(candidates.order_by().distinct())
    q = Q()
    for _basis, condition in conditions:
        q |= _narrowed(condition, ids)
    return (
        Person.objects.filter(InArray(F("pk"), ids)).filter(q).order_by().values("pk")
    )


def searchable_q(user: Viewer) -> Q | None:
    """A filter for the people `user` may find by searching (signpost level)."""
    if not has_permission(user, Permission.SEARCH_PEOPLE):
        return None
    q = Q(partnership_id__in=user_partnership_ids(user))
    if not has_permission(user, Permission.VIEW_RESTRICTED):
        q &= Q(is_restricted=False) | Q(pk__in=_team_person_ids(user))
    return q


def _annotation(basis: Basis) -> str:
    return "cases_basis_" + basis.name.lower()


def with_access(
    queryset: QuerySet[_M], user: Viewer, now: dt.datetime | None = None
) -> QuerySet[_M]:
    """`queryset` of people annotated with `access_conditions`, so that fetching the
    child also answers why the user may read the record (one query instead of one
    per basis, asked again by every `can_…` check on the page). Use
    `basis_from_row` on each fetched person."""
    conditions = access_conditions(user, now)
    if not conditions:
        return queryset
    annotated: QuerySet[_M] = queryset.annotate(
        **{
            _annotation(basis): ExpressionWrapper(condition, BooleanField())
            for basis, condition in conditions
        }
    )
    return annotated


def basis_from_row(user: Viewer, person: Any) -> Basis | None:
    """The access basis from `with_access`'s annotations (the first basis whose
    condition holds), remembered on the instance for this user so that the page's
    later checks (`can_edit`, `can_grant_access`, …) ask nothing more."""
    basis = None
    if has_permission(user, Permission.VIEW_CASES):
        basis = next((b for b in Basis if getattr(person, _annotation(b), False)), None)
    person._cases_basis = (user.pk, basis)
    return basis


def access_basis(user: Viewer, person: Person) -> Basis | None:
    """Why `user` may read `person`'s full record, or None (signpost at most).

    A person fetched with `with_access` (and read with `basis_from_row`) answers
    from what was fetched in this request; any other instance asks the database,
    with the same expressions, in one query."""
    cached: tuple[Any, Basis | None] | None = getattr(person, "_cases_basis", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    if not has_permission(user, Permission.VIEW_CASES):
        return None
    row = with_access(type(person)._base_manager.filter(pk=person.pk), user).first()
    # The answer is kept on the fetched row only: this instance may outlive a
    # change of access within the request (an action that grants, then checks).
    return None if row is None else basis_from_row(user, row)


def is_case_team(user: Viewer, person: Person) -> bool:
    from .models import CaseTeamMember

    cached: tuple[Any, Basis | None] | None = getattr(person, "_cases_basis", None)
    if cached is not None and cached[0] == user.pk and cached[1] is not None:
        # access_basis puts the case team first, so any other basis means "not on
        # the team". (Without VIEW_CASES the basis is None: ask the database.)
        return cached[1] == Basis.TEAM

    return CaseTeamMember.objects.filter(
        person=person, user=user, ended_at__isnull=True
    ).exists()


def can_edit(user: Viewer, person: Person) -> bool:
    """Changing a record needs EDIT_CASES and full access for a reason other than
    break-glass (break-glass is for reading in an emergency)."""
    if not has_permission(user, Permission.EDIT_CASES):
        return False
    return access_basis(user, person) in (Basis.TEAM, Basis.MANAGER, Basis.GRANTED)


def can_grant_access(user: Viewer, person: Person) -> bool:
    """The lead professional, or a manager with full access, decides requests."""
    if person.lead_professional_id == user.pk and is_case_team(user, person):
        return True
    return has_permission(user, Permission.GRANT_CASE_ACCESS) and access_basis(
        user, person
    ) in (Basis.TEAM, Basis.MANAGER)


def can_see_access_log(user: Viewer, person: Person) -> bool:
    """Who has viewed the record: shown to the case team and to auditors."""
    if has_permission(user, Permission.VIEW_AUDIT):
        return True
    return access_basis(user, person) in (Basis.TEAM, Basis.MANAGER)


def stand_in_viewer(
    user: Viewer, pk: int, agencies: list[int], partnerships: list[int]
) -> Any:
    """A user of the same class and permissions as `user`, with other ids: what
    the policy's conditions are built for when compiling them once
    (`svduty.core.compiled`)."""
    from svduty.core.policies import user_permissions

    # `__class__`, not `type()`: request.user is a lazy object standing in for it.
    viewer = user.__class__(pk=pk, roles=list(user.roles), is_active=True)
    viewer._svduty_permissions = user_permissions(user)
    viewer._agency_ids = set(agencies)
    viewer._agency_names = ""
    viewer._cases_partnership_ids = set(partnerships)
    return viewer


def findable(user: Viewer, pk: int) -> Person | None:
    """The child `pk` with `user`'s access basis (as `with_access` annotates it,
    read with `basis_from_row`), whether the user may find the child in a search
    (`cases_searchable`, as `searchable_q`) and the id of the child's current plan
    (`cases_current_plan`, None when there is none), in one query; None when there
    is no such child.

    The query is built and compiled once per process for each set of permissions
    and number of agencies and partnerships (`svduty.core.compiled`): only the ids
    and the time are new on each request. Call `prime_user` first."""
    from svduty.core import compiled
    from svduty.core.policies import user_permissions

    values = {
        "pk": pk,
        "viewer": user.pk,
        "agencies": user.agency_ids(),
        "partnerships": user_partnership_ids(user),
        "now": timezone.now(),
    }

    def build(
        *,
        pk: int,
        viewer: int,
        agencies: list[int],
        partnerships: list[int],
        now: dt.datetime,
    ) -> QuerySet[Any, Any]:
        stand_in = stand_in_viewer(user, viewer, agencies, partnerships)
        return _findable_query(stand_in, pk, now)

    # Prepared per database session: planning it took PostgreSQL five times as
    # long as running it, and every condition is on the child's or the user's id.
    rows = compiled.run(
        ("cases.findable", user_permissions(user)), build, values, prepare=True
    )
    return rows[0] if rows else None


def _findable_query(user: Viewer, pk: int, now: dt.datetime) -> QuerySet[Any, Any]:
    from django.db.models import Subquery

    from .models import Person, Plan, PlanStatus

    queryset = with_access(
        Person.objects.filter(pk=pk).select_related("partnership", "lead_professional"),
        user,
        now,
    ).annotate(
        cases_current_plan=Subquery(
            Plan.objects.filter(person_id=OuterRef("pk"), status=PlanStatus.CURRENT)
            .order_by("-created_at", "-id")
            .values("pk")[:1]
        )
    )
    # Findable = searchable or readable in full, and "readable in full" is exactly
    # having an access basis (`full_record_q` and `access_basis` are the same rule),
    # so one row with both answers replaces searchable_by(user) | visible_to(user).
    searchable = searchable_q(user)
    if searchable is not None:
        queryset = queryset.annotate(
            cases_searchable=ExpressionWrapper(searchable, output_field=BooleanField())
        )
    return queryset.order_by()[:2]
