"""The partnership's audited models are written only through its actions
(core.guard): a view, another app's actions or a task writing them directly is
refused; the actions (in `actions` and `actions_register`) still write."""

import datetime as dt

import pytest

from svduty.core.authorisation import Role
from svduty.partnership import actions, actions_register
from svduty.partnership.models import (
    BoardMeeting,
    DefinitionKind,
    Establishment,
    ExcludedOffence,
    LocalDefinition,
    MappingRule,
    Partnership,
    PartnershipMember,
    RelevantAuthority,
)
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import formed_partnership
from tests.guarding import assert_every_write_refused, guarded_models

GUARDED = {
    Partnership,
    PartnershipMember,
    LocalDefinition,
    DefinitionKind,
    MappingRule,
    ExcludedOffence,
    BoardMeeting,
    RelevantAuthority,
}


def test_the_audited_models_are_guarded():
    assert guarded_models("partnership") == GUARDED


@pytest.mark.parametrize("model", sorted(GUARDED, key=lambda m: m.__name__))
@pytest.mark.parametrize(
    "writer",
    ["svduty.partnership.views", "svduty.partnership.api", "svduty.strategy.actions"],
)
def test_a_direct_write_is_refused(model, writer):
    assert_every_write_refused(model, writer)


def test_the_actions_still_write(db, make_user):
    council = AgencyFactory(name="Guardborough Council")
    partnership = formed_partnership(lead_agency=council, slug="guardborough")
    lead = make_user(Role.PARTNERSHIP_LEAD, agency=council)
    meeting = actions.record_meeting(
        by=lead,
        partnership=partnership,
        held_on=dt.date(2025, 1, 10),
        title="Board",
        decisions="Agreed the strategy",
    )
    entry = actions_register.add_relevant_authority(
        by=lead,
        partnership=partnership,
        area=partnership.areas.first(),
        establishment=Establishment.SCHOOL,
        name="Guard Lane School",
    )
    assert BoardMeeting.objects.filter(pk=meeting.pk).exists()
    assert RelevantAuthority.objects.filter(pk=entry.pk).exists()
