"""Every record of the children-at-risk app is written only through its actions
(core.guard): the case record by `cases.actions.*`, the configuration held as data
(language rules, assessment types, screening tool versions) by
`cases.actions.configuration`. A view, the API or another app writing them directly
is refused; the actions still write. (The default configuration is loaded by
migration 0002, and again by the demo inside `writes_allowed`: `cases.seed`.)"""

import pytest

from svduty.cases import actions
from svduty.cases.actions import configuration
from svduty.cases.models import (
    AccessRequest,
    Address,
    Alias,
    Assessment,
    AssessmentType,
    BreakGlass,
    CaseTeamMember,
    Contribution,
    Disclosure,
    Event,
    Goal,
    Identifier,
    Indicator,
    IndicatorGroup,
    LanguageRule,
    MissingEpisode,
    Person,
    Plan,
    PlanAction,
    PlanVersion,
    Referral,
    Relationship,
    Screening,
    ScreeningAnswer,
    ScreeningTool,
)
from svduty.cases.seed import load_defaults
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import person_on_team, practitioner
from tests.guarding import assert_every_write_refused, guarded_models

GUARDED = {
    AccessRequest,
    Address,
    Alias,
    Assessment,
    AssessmentType,
    BreakGlass,
    CaseTeamMember,
    Contribution,
    Disclosure,
    Event,
    Goal,
    Identifier,
    Indicator,
    IndicatorGroup,
    LanguageRule,
    MissingEpisode,
    Person,
    Plan,
    PlanAction,
    PlanVersion,
    Referral,
    Relationship,
    Screening,
    ScreeningAnswer,
    ScreeningTool,
}


def test_every_cases_model_is_guarded():
    # The rest of the app's models are django-pghistory's event tables, written by
    # database triggers.
    assert guarded_models("cases") == GUARDED


@pytest.mark.parametrize("model", sorted(GUARDED, key=lambda m: m.__name__))
@pytest.mark.parametrize(
    "writer",
    [
        "svduty.cases.views.configuration",
        "svduty.cases.api",
        "svduty.cases.configuration",
        "svduty.services.actions",
    ],
)
def test_a_direct_write_is_refused(model, writer):
    assert_every_write_refused(model, writer)


@pytest.mark.django_db
def test_the_actions_and_the_seed_still_write():
    admin = practitioner(AgencyFactory(), Role.SYSTEM_ADMIN)
    rule = configuration.add_language_rule(
        by=admin, phrase="guarded phrase", alternative="a plainer phrase"
    )
    assert LanguageRule.objects.get(pk=rule.pk).alternative == "a plainer phrase"
    lead = practitioner(AgencyFactory())
    person = person_on_team(lead)
    alias = actions.add_alias(by=lead, person=person, first_name="Rob", last_name="")
    assert Alias.objects.get(pk=alias.pk).person == person
    # Again, as the demo does (the migration loaded it first): a no-op, not refused.
    tools = ScreeningTool.objects.count()
    load_defaults()
    assert ScreeningTool.objects.count() == tools
