"""Numbers and messages a first user met that misled (issue 16, point 4)."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from svduty.strategy import actions
from svduty.strategy.compliance import COMPLETED, NOT_STARTED, compliance_steps
from svduty.strategy.models import ActionStatus, SectionKind
from svduty.strategy.states import StrategyState, Transition
from tests.factories.strategy import (
    ActionFactory,
    consult_everyone,
    sign_off_everyone,
    strategy_in_state,
)


def _sna_step(partnership):
    return next(s for s in compliance_steps(partnership) if "SNA" in s.name)


def test_an_action_past_its_due_date_shows_overdue_once(
    client_for, lead, partnership, council
):
    late = ActionFactory(
        partnership=partnership,
        owner_agency=council,
        status=ActionStatus.ON_TRACK,
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    ActionFactory(
        partnership=partnership,
        owner_agency=council,
        status=ActionStatus.ON_TRACK,
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    client = client_for(lead)
    html = client.get(
        reverse("strategy:action_list", args=[partnership.slug])
    ).content.decode()
    body = html[html.index("<tbody") : html.index("</tbody>")]
    tags = re.findall(r'class="govuk-tag[^"]*">([^<]+)<', body)
    assert sorted(tags) == ["On track", "Overdue"]
    assert "Last reported: on track" in html
    detail = client.get(
        reverse("strategy:action_detail", args=[partnership.slug, late.pk])
    ).content.decode()
    status = detail[detail.index(">Status</dt>") : detail.index(">Owner</dt>")]
    assert re.findall(r'class="govuk-tag[^"]*">([^<]+)<', status) == ["Overdue"]


def test_sna_summarised_in_the_published_strategy_is_not_shown_as_not_started(
    lead, partnership
):
    assert _sna_step(partnership).status == NOT_STARTED
    version = strategy_in_state(lead, partnership, StrategyState.DRAFT)
    actions.save_section(
        by=lead,
        strategy_version=version,
        kind=SectionKind.SNA_SUMMARY,
        heading="What our needs assessment found",
        body="Violence peaks on Friday and Saturday evenings in the town centre.",
        publishable=True,
    )
    for move, before in [
        (Transition.START_CONSULTATION, None),
        (Transition.CLOSE_CONSULTATION, consult_everyone),
        (Transition.PUBLISH, sign_off_everyone),
    ]:
        if before is not None:
            before(lead, version)
        version = actions.transition(by=lead, strategy_version=version, transition=move)
        version.refresh_from_db()
    step = _sna_step(partnership)
    assert step.status == COMPLETED
    assert step.evidence_label.startswith(
        f"Summarised in strategy version {version.number}, published"
    )


def test_a_published_strategy_without_an_sna_summary_still_shows_not_started(
    lead, partnership
):
    strategy_in_state(lead, partnership, StrategyState.PUBLISHED)
    assert _sna_step(partnership).status == NOT_STARTED


def test_publishing_says_so_in_plain_words(client_for, lead, partnership):
    version = strategy_in_state(lead, partnership, StrategyState.CONSULTATION)
    client = client_for(lead)
    url = reverse(
        "strategy:transition",
        args=[partnership.slug, version.number, Transition.CLOSE_CONSULTATION.value],
    )
    consult_everyone(lead, version)
    version.refresh_from_db()
    response = client.post(url, {"version": version.version}, follow=True)
    text = response.content.decode()
    assert "Consultation is closed: the strategy now waits for sign-off" in text
    assert ": done" not in text


def test_lead_home_page_counts_outstanding_sign_offs_and_late_actions(
    client_for, lead, partnership, council
):
    """Issue 16, point 2: the lead was not told that sign-offs were outstanding or
    actions late. Each is a to-do with its count, its link and the rule."""
    home = reverse("core:home")
    client = client_for(lead)
    assert "sign-offs outstanding" not in client.get(home).content.decode()
    version = strategy_in_state(lead, partnership, StrategyState.AWAITING_SIGN_OFF)
    needed = len(actions.required_signatories(version))
    ActionFactory(
        partnership=partnership,
        owner_agency=council,
        status=ActionStatus.ON_TRACK,
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    ActionFactory(
        partnership=partnership,
        owner_agency=council,
        status=ActionStatus.COMPLETE,
        completed_on=timezone.localdate() - dt.timedelta(days=2),
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    page = client.get(home).content.decode()
    assert f"{needed} of {needed} sign-offs outstanding" in page
    assert f'href="/strategy/{partnership.slug}/v{version.number}/#sign-off"' in page
    assert "Each specified authority signs off before publication." in page
    assert "1 action plan action is overdue" in page
    assert "Overdue means past its due date and not complete." in page
    assert reverse("strategy:action_list", args=[partnership.slug]) in page
