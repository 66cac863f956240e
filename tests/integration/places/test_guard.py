"""places's audited models are written only through its actions (core.guard): a
view, another module of the app or another app writing them directly is refused.
The app's other tests drive its actions and pages, so they show the actions still
write."""

import pytest

from svduty.places.models import (
    PeerGroup,
    PeerGroupAssessment,
    PeerGroupMember,
    PeerGroupPlan,
    Place,
    PlaceAssessment,
    PlaceChild,
    PlaceIntervention,
    PlaceReport,
)
from tests.guarding import assert_every_write_refused, guarded_models

GUARDED = {
    Place,
    PlaceChild,
    PlaceReport,
    PlaceIntervention,
    PlaceAssessment,
    PeerGroup,
    PeerGroupMember,
    PeerGroupPlan,
    PeerGroupAssessment,
}


def test_the_audited_models_are_guarded():
    assert guarded_models("places") == GUARDED


@pytest.mark.parametrize("model", sorted(GUARDED, key=lambda m: m.__name__))
@pytest.mark.parametrize(
    "writer",
    ["svduty.places.views.places", "svduty.places.triggers", "svduty.cases.actions"],
)
def test_a_direct_write_is_refused(model, writer):
    assert_every_write_refused(model, writer)
