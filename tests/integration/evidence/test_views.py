"""The outcome pages: figures read from the precomputed rows, refresh, drill-down
within the policy (named children only for those who may see them), audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.evidence.actions import refresh_figures
from svduty.evidence.models import FigureRun, IndicatorFigure
from tests.factories.evidence import evidence_world, referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    w = evidence_world()
    day = w.today - dt.timedelta(days=3)
    referral(w, received=day, decided=day)
    referral(w, person=w.bo, received=day, agency=w.school)
    return w


def test_refresh_stores_figures_and_the_outcome_pages_show_them(world, client_for):
    client = client_for(world.lead)
    response = client.post(
        reverse("evidence:refresh"), {"partnership": world.partnership.pk}
    )
    assert response.status_code == 302
    run = FigureRun.objects.get(partnership=world.partnership)
    assert run.computed_by == world.lead
    assert (
        IndicatorFigure.objects.filter(
            partnership=world.partnership, indicator="children-referred", agency=None
        )
        .get()
        .denominator
        == 2
    )
    assert AuditEvent.objects.filter(
        target_type="evidence.figurerun", target_id=str(run.pk)
    ).exists()

    page = client.get(reverse("evidence:outcomes")).content.decode()
    assert "Identification and intervention" in page
    assert "Multi-agency learning" in page
    assert "Referrals decided in time" in page
    assert "50%" in page  # 1 of 2 referrals decided in time

    page = client.get(reverse("evidence:outcome", args=[1])).content.decode()
    assert "Table: Referrals decided in time by month" in page
    page = client.get(
        reverse("evidence:indicator", args=["referrals-from-schools"])
    ).content.decode()
    assert "By agency, last 12 months" in page
    assert world.school.name in page


def test_unknown_outcome_indicator_or_partnership_is_404(world, client_for):
    client = client_for(world.lead)
    assert client.get(reverse("evidence:outcome", args=[22])).status_code == 404
    assert client.get(reverse("evidence:indicator", args=["nope"])).status_code == 404
    url = reverse("evidence:outcomes")
    assert client.get(url, {"partnership": "x"}).status_code == 404
    other = evidence_world("Somewhere Else")
    assert client.get(url, {"partnership": other.partnership.pk}).status_code == 404
    records = reverse("evidence:indicator_records", args=["children-referred"])
    assert client.get(records, {"month": "2026-13"}).status_code == 404
    assert client.get(records, {"agency": "abc"}).status_code == 404


def test_drill_down_names_children_only_for_those_who_may_see_them(world, client_for):
    url = reverse("evidence:indicator_records", args=["children-referred"])
    manager_page = client_for(world.manager).get(url).content.decode()
    assert "Ash" in manager_page and "Bo" in manager_page
    event = AuditEvent.objects.filter(
        actor_id=world.manager.pk, detail__evidence="indicator drill-down"
    ).get()
    assert sorted(event.detail["people"]) == sorted([world.ash.pk, world.bo.pk])

    lead_page = client_for(world.lead).get(url).content.decode()
    assert "Ash" not in lead_page and "Bo" not in lead_page
    assert "2 of them are about children or records you may not see" in lead_page
    assert not AuditEvent.objects.filter(
        actor_id=world.lead.pk, detail__evidence="indicator drill-down"
    ).exists()


def test_refresh_replaces_the_old_figures(world):
    refresh_figures(by=world.lead, partnership=world.partnership)
    first = IndicatorFigure.objects.filter(partnership=world.partnership).count()
    refresh_figures(by=None, partnership=world.partnership)
    assert (
        IndicatorFigure.objects.filter(partnership=world.partnership).count() == first
    )
    assert FigureRun.objects.filter(partnership=world.partnership).count() == 2


def test_drill_down_month_follows_the_uk_day_at_midnight(world, client_for):
    """The drill-down filters on the timestamp between UK midnights (so the index on
    it can be used): a referral received at 00:30 on the 1st is in that month, one
    at 23:30 the night before is in the month before, in summer time too."""
    from django.utils import timezone

    from svduty.cases.models import Referral
    from svduty.evidence import figures

    month = figures.add_months(figures.month_start(world.today), -4)
    tz = timezone.get_current_timezone()
    first_thing = dt.datetime.combine(month, dt.time(0, 30), tzinfo=tz)
    last_thing = first_thing - dt.timedelta(hours=1)
    for child, when in ((world.bo, first_thing), (world.ash, last_thing)):
        made = referral(world, person=child, received=month)
        Referral.objects.filter(pk=made.pk).update(received_at=when)
    url = reverse("evidence:indicator_records", args=["children-referred"])
    client = client_for(world.manager)

    def listed(day):
        page = client.get(url, {"month": f"{day:%Y-%m}"}).content.decode()
        return "Ash" in page, "Bo" in page

    assert listed(month) == (False, True)
    assert listed(figures.add_months(month, -1)) == (True, False)


@pytest.mark.parametrize("narrow", [True, False])
def test_drill_down_lists_only_the_children_on_the_users_case_teams(
    world, client_for, monkeypatch, narrow
):
    """The school's team manager, whose agency is on Bo's case team only (the
    teacher): Bo named, Ash counted. Both ways of asking the policy (about the
    records' own children, for up to `NARROW_RECORDS` records; about every
    record in one pass above it) agree."""
    from svduty.cases.actions import add_team_member
    from svduty.core.authorisation import Role
    from svduty.evidence.indicators import registry
    from tests.factories.cases import practitioner

    if not narrow:
        monkeypatch.setattr(registry, "NARROW_RECORDS", 0)
    head = practitioner(world.school, Role.TEAM_MANAGER, full_name="Hed Teacher")
    add_team_member(
        by=world.manager, person=world.bo, user=world.teacher, role="key_worker"
    )
    url = reverse("evidence:indicator_records", args=["children-referred"])
    page = client_for(head).get(url).content.decode()
    assert "Referral about Bo Bravo" in page
    assert "Ash" not in page
    assert "1 of them are about children or records you may not see" in page
    event = AuditEvent.objects.filter(
        actor_id=head.pk, detail__evidence="indicator drill-down"
    ).get()
    assert event.detail["people"] == [world.bo.pk]


def test_case_audits_are_linked_only_for_those_who_may_audit(world, client_for):
    """An analyst reads the outcomes but may not audit cases: the outcome pages
    showed them a link to the case audits that answered 403."""
    from svduty.core.authorisation import Role
    from tests.factories.cases import practitioner

    audits = reverse("evidence:audits")
    analyst = practitioner(world.council, Role.ANALYST, full_name="Ann Analyst")
    for user, shown in ((analyst, False), (world.manager, True)):
        client = client_for(user)
        for page in (
            reverse("evidence:outcomes"),
            reverse("evidence:outcome", args=[19]),
        ):
            html = client.get(page).content.decode()
            assert (f'href="{audits}?' in html) is shown, (user, page)


def test_outcome_cards_are_kept_until_what_they_show_changes(world, client_for):
    """The outcomes page keeps its rendered cards (figures and grades) for each
    state of the data: a kept page is the page rendered afresh, a refresh of the
    figures and a new grade show at once, and nothing about one user is kept
    for another (the page is counts only)."""
    from django.core.cache import cache

    from svduty.core.authorisation import Role
    from svduty.evidence import actions
    from tests.factories.cases import practitioner

    refresh_figures(by=None, partnership=world.partnership)
    url = f"{reverse('evidence:outcomes')}?partnership={world.partnership.pk}"
    lead = client_for(world.lead)

    def cards(client):
        # The cards: below the form whose CSRF token, and above the scripts whose
        # nonce, differ on every response.
        page = client.get(url).content.decode()
        return page[page.index('id="outcomes"') : page.index("</main>")]

    def fresh():
        cache.clear()
        return cards(lead)

    first = fresh()
    assert cards(lead) == first  # kept
    assert "50%" in first and "Not self-assessed" in first
    analyst = client_for(practitioner(world.council, Role.ANALYST))
    # The same cards for everyone who may open the same pages; an analyst, who
    # may not open the case audits, is not shown the lead's link to them.
    audits = f'href="{reverse("evidence:audits")}?'
    assert audits in first
    for_analysts = cards(analyst)
    assert audits not in for_analysts
    assert for_analysts == cards(client_for(practitioner(world.council, Role.ANALYST)))

    # New figures: a referral decided in time, then a refresh (a new run).
    referral(world, person=world.bo, received=world.today - dt.timedelta(days=2))
    refresh_figures(by=None, partnership=world.partnership)
    kept = cards(lead)
    assert kept != first and kept == fresh()

    # A grade recorded shows at once.
    actions.save_self_assessment(
        by=world.lead,
        partnership=world.partnership,
        outcome=1,
        grade="strong",
        narrative="Referrals are decided quickly.",
        owner=world.lead,
        review_on=world.today + dt.timedelta(days=30),
    )
    graded = cards(lead)
    assert "Self-assessed: Strong" in graded and graded == fresh()
