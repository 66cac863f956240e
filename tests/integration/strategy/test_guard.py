"""The strategy's audited models are written only through its actions
(core.guard): a view, the reminders job or another app writing them directly is
refused; the actions still write. Sign-offs written by `actions.sign_off` are
covered by test_sign_off.py."""

import datetime as dt

import pytest

from svduty.core.guard import DirectWriteRefused
from svduty.strategy import actions
from svduty.strategy.models import (
    ActionUpdate,
    Consultation,
    SectionKind,
    SignOff,
    SignOffEvidence,
    StrategyAction,
    StrategyReview,
    StrategySection,
    StrategyVersion,
)
from tests.guarding import assert_every_write_refused, guarded_models, run_as

GUARDED = {
    StrategyVersion,
    StrategySection,
    Consultation,
    SignOffEvidence,
    SignOff,
    StrategyReview,
    StrategyAction,
    ActionUpdate,
}


def test_the_audited_models_are_guarded():
    # ReviewReminder is not audited: it only stops a second e-mail on the same day.
    assert guarded_models("strategy") == GUARDED


@pytest.mark.parametrize("model", sorted(GUARDED, key=lambda m: m.__name__))
@pytest.mark.parametrize(
    "writer",
    ["svduty.strategy.views.plan", "svduty.strategy.tasks", "svduty.sharing.actions"],
)
def test_a_direct_write_is_refused(model, writer):
    assert_every_write_refused(model, writer)


def test_the_sign_off_queryset_is_guarded_too():
    with pytest.raises(DirectWriteRefused):
        run_as(
            "svduty.strategy.views.sign_off",
            "SignOff.objects.live().update(withdrawal_reason='x')",
            SignOff=SignOff,
        )


def test_the_actions_still_write(lead, partnership):
    version = actions.start_strategy(
        by=lead,
        partnership=partnership,
        title="Guarded strategy",
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2028, 3, 31),
    )
    section = actions.save_section(
        by=lead,
        strategy_version=version,
        kind=SectionKind.PRIORITIES,
        heading="Priorities",
        body="Knife crime",
        publishable=True,
    )
    assert StrategyVersion.objects.get(pk=version.pk).title == "Guarded strategy"
    assert StrategySection.objects.get(pk=section.pk).body == "Knife crime"
