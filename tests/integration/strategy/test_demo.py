"""The demo: Cleveland's partnerships get definitions, published strategies, actions
(some overdue), and Middlesbrough's review is overdue. Loading twice changes nothing."""

import pytest

from svduty.accounts import demo as accounts_demo
from svduty.partnership import demo as partnership_demo
from svduty.partnership.definitions import serious_violence_police_uk_types
from svduty.partnership.models import LocalDefinition, Partnership
from svduty.strategy import demo as strategy_demo
from svduty.strategy.compliance import compliance_steps
from svduty.strategy.models import StrategyAction, StrategySection, StrategyVersion
from svduty.strategy.publication import current_version


def load_all():
    context = {"quick": True, "stdout": None}
    for module in (accounts_demo, partnership_demo, strategy_demo):
        module.load(context)


def counts():
    return (
        Partnership.objects.count(),
        LocalDefinition.objects.count(),
        StrategyVersion.objects.count(),
        StrategySection.objects.count(),
        StrategyAction.objects.count(),
    )


@pytest.mark.django_db
def test_demo_is_complete_and_idempotent():
    load_all()
    first = counts()
    load_all()
    assert counts() == first
    assert first[0] == 4 and first[2] == 4

    middlesbrough = Partnership.objects.get(slug="middlesbrough")
    assert middlesbrough.lead_user.username == "lead"
    assert current_version(middlesbrough).is_review_overdue()
    others = Partnership.objects.exclude(slug="middlesbrough")
    assert not any(current_version(p).is_review_overdue() for p in others)
    assert (
        StrategyAction.objects.filter(partnership=middlesbrough).overdue().count() >= 2
    )
    assert "Robbery" in serious_violence_police_uk_types(middlesbrough)
    statuses = {s.name: s.status for s in compliance_steps(middlesbrough)}
    assert statuses["Reviewed within the last 12 months"] == "Overdue"
    assert statuses["Strategy published"] == "Completed"
