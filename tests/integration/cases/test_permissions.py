"""Every children-at-risk page for every kind of user the issue names: the case
team, someone in the same agency but not on the case, another agency, access granted
then expired, a restricted record, break-glass, the auditor, and anonymous."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from svduty.audit.models import AuditEvent
from svduty.cases import actions
from svduty.cases.models import AssessmentType, Plan
from tests.access.cases import CONFIG, ROUTES

# What each kind of page allows beyond the case team.
SIGNPOST_PAGES = {
    "cases:person",
    "cases:access_request",
    "cases:break_glass",
    "cases:referral_new",
}
GENERAL_PAGES = {"cases:my_cases", "cases:work", "cases:search", "cases:person_new"}
EDIT_PAGES = {
    "cases:person_edit",
    "cases:identifier_add",
    "cases:alias_add",
    "cases:address_add",
    "cases:relationship_add",
    "cases:disclosure_add",
    "cases:disclosure_withdraw",
    "cases:screening_new",
    "cases:assessment_new",
    "cases:contribution_request",
    "cases:plan_new",
    "cases:plan_action_add",
    "cases:plan_action_update",
    "cases:plan_review",
    "cases:plan_end",
    "cases:event_new",
    "cases:return_interview",
    "cases:missing_return",
}
MANAGER_ONLY = {
    "cases:referrals",
    "cases:referral_decide",
    "cases:restrict",
    "cases:assessment_sign_off",
}
# Settings (screening tool, assessment types, language rules): no practitioner or
# auditor reaches them; team managers and system administrators do.
MANAGER_ONLY |= {r.name for r in ROUTES if r.allowed == CONFIG}
SKIP = {
    "cases:language_check",
    "cases:team_leave",
}  # POST-only helpers, covered elsewhere


@pytest.fixture
def objects(world):
    lead = world.lead
    child = world.child
    referral = actions.make_referral(
        by=lead,
        person=child,
        reasons=["missing"],
        urgency="standard",
        what_is_known="Missing.",
    )
    assessment = actions.start_assessment(
        by=lead,
        person=child,
        assessment_type=AssessmentType.objects.get(name="Child and family assessment"),
    )
    contribution = actions.request_contribution(
        by=lead, assessment=assessment, agency=world.council, question="Anything?"
    )
    plan = actions.create_plan(
        by=lead,
        person=child,
        review_on=timezone.localdate() + dt.timedelta(days=20),
        goals=["Safe"],
    )
    plan_action = actions.add_plan_action(
        by=lead,
        plan=plan,
        expected_version=1,
        text="Visit",
        owner=lead,
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    event = actions.record_event(
        by=lead,
        person=child,
        category="missing_home",
        occurred_at=timezone.now() - dt.timedelta(days=1),
        summary="Missing",
        returned_at=timezone.now() - dt.timedelta(hours=2),
    )
    tool_screening = actions.record_screening(
        by=lead,
        person=child,
        tool=__import__(
            "svduty.cases.models", fromlist=["ScreeningTool"]
        ).ScreeningTool.objects.get(version=1),
        answers={
            i.pk: {"answer": "no"}
            for i in __import__(
                "svduty.cases.models", fromlist=["Indicator"]
            ).Indicator.objects.filter(group__tool__version=1)
        },
        agreed_level="low",
    )
    access_request = actions.request_access(
        by=world.same_agency, person=child, reason="Sibling"
    )
    from types import SimpleNamespace

    world.cases = SimpleNamespace(
        child=child,
        # The matrix asks for access to a child it cannot read (tests/access/cases.py);
        # here every page is asked about the one child, by every kind of user.
        unseen=child,
        referral=referral,
        screening=tool_screening,
        assessment=assessment,
        contribution=contribution,
        plan=Plan.objects.get(pk=plan.pk),
        plan_action=plan_action,
        episode=event.missing_episode,
        access_request=access_request,
        member=child.team.get(user=lead),
        disclosure=actions.record_disclosure(
            by=lead,
            person=child,
            disclosed_on=timezone.localdate(),
            recipient="A GP",
            recipient_organisation="Surgery",
            legal_gateway="ca2004_s11",
            purpose_basis="safeguarding",
            purpose="Health follow-up",
            information_shared="Attendance",
        ),
    )
    return world


def url(route, ctx):
    return reverse(route.name, kwargs=route.kwargs(ctx) if route.kwargs else None)


def expected(kind: str, name: str) -> set[int]:
    ok = {200, 302}
    if kind == "anonymous":
        return {302}
    if kind == "auditor":
        return {200} if name == "cases:access_log" else {403}
    if name in MANAGER_ONLY:
        return {403}
    if name in GENERAL_PAGES:
        return ok
    if name == "cases:access_request_decide":
        # The request (by the same-agency user) is visible to its maker and to those
        # who can read the record; only the lead professional or a manager decides.
        if kind == "lead":
            return ok
        return {403} if kind in ("same_agency", "granted", "glass") else {404}
    if name == "cases:access_log":
        # Who has seen the record: the case team (and auditors) only.
        return ok if kind == "lead" else {404}
    if kind in ("lead", "granted"):
        return ok
    if kind == "glass":
        return {403} if name in EDIT_PAGES else ok
    # Not on the case: signposts only.
    if name in SIGNPOST_PAGES:
        return ok
    if name == "cases:contribution":
        # Asked of the council: the same-agency practitioner may answer.
        return ok if kind == "same_agency" else {404}
    if name == "cases:referral":
        return {404}
    return {404}


KINDS = [
    "lead",
    "same_agency",
    "other_agency",
    "granted",
    "expired",
    "glass",
    "auditor",
    "anonymous",
]
PAGES = [r for r in ROUTES if r.name not in SKIP and not r.name.startswith("api-")]


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_for_every_kind_of_user(objects, client_for, client, kind):
    http = client if kind == "anonymous" else client_for(getattr(objects, kind))
    failures = []
    for route in PAGES:
        response = http.get(url(route, objects))
        allowed = expected(kind, route.name)
        if response.status_code not in allowed:
            failures.append(
                f"{route.name}: {response.status_code} not in {sorted(allowed)}"
            )
        if kind == "anonymous":
            assert "/accounts/login/" in response["Location"]
    assert failures == []


def test_restricted_record(objects, client_for):
    actions.set_restricted(
        by=objects.manager,
        person=objects.child,
        restricted=True,
        reason="Staff relative",
    )
    person_url = reverse("cases:person", args=[objects.child.pk])
    assert client_for(objects.same_agency).get(person_url).status_code == 404
    assert client_for(objects.other_agency).get(person_url).status_code == 404
    assert client_for(objects.lead).get(person_url).status_code == 200
    assert client_for(objects.manager).get(person_url).status_code == 200
    search = client_for(objects.other_agency).get(
        reverse("cases:search"), {"q": "Casey Childs"}
    )
    assert search.context["results"] == []


def test_signpost_shows_contacts_only(objects, client_for):
    response = client_for(objects.other_agency).get(
        reverse("cases:person", args=[objects.child.pk])
    )
    html = response.content.decode()
    assert "Signpost" in html and "Lee Lead" in html and "Cases Council" in html
    assert "Missing" not in html.split("<main", 1)[1]  # nothing about why


def test_every_view_is_audited_and_shown_to_the_team(objects, client_for):
    client_for(objects.granted).get(
        reverse("cases:chronology", args=[objects.child.pk])
    )
    client_for(objects.granted).get(
        reverse("cases:chronology_print", args=[objects.child.pk])
    )
    client_for(objects.granted).get(
        reverse("cases:chronology_export", args=[objects.child.pk])
    )
    events = AuditEvent.objects.filter(
        target_id=str(objects.child.pk), actor_id=objects.granted.pk
    )
    assert sorted(events.values_list("action", flat=True)) == [
        "export",
        "print",
        "view",
    ]
    page = client_for(objects.lead).get(
        reverse("cases:person", args=[objects.child.pk])
    )
    assert objects.granted.username in page.content.decode()
    log = client_for(objects.auditor).get(
        reverse("cases:access_log", args=[objects.child.pk])
    )
    assert log.status_code == 200 and objects.granted.username in log.content.decode()


def test_case_list_queries_do_not_grow(
    objects, client_for, django_assert_max_num_queries
):
    from tests.factories.cases import person_on_team

    http = client_for(objects.lead)
    # 9: session, user, MFA, agencies, the page with its total, audit INSERT and
    # the session save (BEGIN, UPDATE, COMMIT).
    with django_assert_max_num_queries(9) as few:
        http.get(reverse("cases:my_cases"))
    for n in range(30):
        person_on_team(
            objects.lead, partnership=objects.partnership, first_name=f"Extra{n}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert http.get(reverse("cases:my_cases")).status_code == 200


def test_person_page_and_chronology_queries_do_not_grow(
    objects, client_for, django_assert_max_num_queries
):
    http = client_for(objects.lead)
    person_url = reverse("cases:person", args=[objects.child.pk])
    chronology_url = reverse("cases:chronology", args=[objects.child.pk])
    # The first time a database session shows a child's page it prepares the two
    # big queries (two PREPARE statements, svduty.core.compiled): after that, 9:
    # session, user, agencies, the child with the access basis and the current
    # plan's id (the Plan tab links straight to it), the overview in one query,
    # the audit INSERT, and the session save (3).
    http.get(person_url)
    session = http.session  # last active long enough ago to be saved again
    session["last_activity"] = timezone.now().timestamp() - 20
    session.save()
    with django_assert_max_num_queries(9) as person_few:
        http.get(person_url)
    with django_assert_max_num_queries(40) as chron_few:
        http.get(chronology_url)
    for n in range(60):
        actions.record_event(
            by=objects.lead,
            person=objects.child,
            category="police_contact",
            occurred_at=timezone.now() - dt.timedelta(days=n + 2),
            summary=f"Contact {n}",
        )
    with django_assert_max_num_queries(len(person_few.captured_queries)):
        http.get(person_url)
    with django_assert_max_num_queries(len(chron_few.captured_queries)):
        response = http.get(chronology_url)
    assert "Older events" in response.content.decode()
    older = http.get(chronology_url, {"before": response.context["next_cursor"]})
    assert older.status_code == 200 and older.context["events"]
    assert (
        older.context["events"][0].occurred_at
        <= response.context["events"][-1].occurred_at
    )


API_PERSON = ["api-cases-person", "api-cases-chronology"]
API_LISTS = [
    "api-cases-people",
    "api-cases-referrals",
    "api-cases-screenings",
    "api-cases-assessments",
    "api-cases-plans",
]


@pytest.mark.parametrize("kind", KINDS)
def test_every_api_endpoint_for_every_kind_of_user(objects, client_for, client, kind):
    http = client if kind == "anonymous" else client_for(getattr(objects, kind))
    child = objects.child.pk
    failures = []
    for name in API_PERSON:
        response = http.get(reverse(name, args=[child]))
        if kind in ("anonymous",):
            allowed = {401, 403}
        elif kind == "auditor":
            allowed = {403}
        elif kind in ("lead", "granted", "glass"):
            allowed = {200}
        else:
            allowed = {404}
        if response.status_code not in allowed:
            failures.append(f"{name}: {response.status_code}")
    for name in API_LISTS:
        response = http.get(reverse(name), {"person": child})
        if kind in ("anonymous", "auditor"):
            ok = response.status_code in (401, 403)
        else:
            ok = response.status_code == 200
            ids = [r.get("person", r.get("id")) for r in response.json()["results"]]
            if (
                kind in ("same_agency", "other_agency", "expired")
                and name != "api-cases-people"
            ):
                ok = ok and child not in ids
            if kind == "lead":
                ok = ok and child in ids
        if not ok:
            failures.append(f"{name}: {response.status_code}")
    search = http.get(reverse("api-cases-search"), {"q": "Casey Childs"})
    if kind in ("anonymous", "auditor"):
        if search.status_code not in (401, 403):
            failures.append(f"search: {search.status_code}")
    else:
        results = search.json()
        assert [r["id"] for r in results] == [child]
        assert results[0]["full_record"] is (kind in ("lead", "granted", "glass"))
        assert set(results[0]) == {
            "id",
            "name",
            "date_of_birth",
            "agencies",
            "lead_professional",
            "full_record",
        }
    assert failures == []


def test_api_writes_go_through_the_actions(objects, client_for):
    http = client_for(objects.lead)
    response = http.post(
        reverse("api-cases-chronology", args=[objects.child.pk]),
        {
            "category": "arrest",
            "occurred_at": timezone.now().isoformat(),
            "summary": "Arrested, released under investigation",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    refused = client_for(objects.glass).post(
        reverse("api-cases-chronology", args=[objects.child.pk]),
        {
            "category": "arrest",
            "occurred_at": timezone.now().isoformat(),
            "summary": "x",
        },
        content_type="application/json",
    )
    assert refused.status_code == 403
    bad = http.post(
        reverse("api-cases-referrals"),
        {
            "person": objects.child.pk,
            "reasons": [],
            "urgency": "standard",
            "what_is_known": "",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "reasons" in bad.json()["errors"]


def test_recording_a_return_starts_the_72_hour_clock(objects, client_for):
    # Missing yesterday morning, back yesterday (a blank time means noon): true at
    # any time of day the test runs.
    today = timezone.localdate() - dt.timedelta(days=1)
    event = actions.record_event(
        by=objects.lead,
        person=objects.child,
        category="missing_home",
        occurred_at=timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0))),
        summary="Missing from home",
    )
    episode = event.missing_episode
    response = client_for(objects.lead).post(
        reverse("cases:missing_return", args=[objects.child.pk, episode.pk]),
        {
            "returned_on_day": today.day,
            "returned_on_month": today.month,
            "returned_on_year": today.year,
            "returned_time": "",
            "found_at_location": "Bus station",
        },
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.interview_due_at == episode.returned_at + dt.timedelta(hours=72)
