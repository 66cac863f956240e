"""svro's audited models are written only through its actions (core.guard): a
view, another module of the app or another app writing them directly is refused.
The app's other tests drive its actions and pages, so they show the actions still
write."""

import pytest

from svduty.svro.models import (
    Application,
    Breach,
    CustodyPeriod,
    Holder,
    HolderAddress,
    HolderName,
    Notification,
    Order,
    OrderVersion,
    PersonLink,
    Reoffence,
    ReportWithdrawal,
    ResidentPopulation,
    SampleItem,
    Search,
    SearchSample,
)
from tests.guarding import assert_every_write_refused, guarded_models

GUARDED = {
    ResidentPopulation,
    SearchSample,
    SampleItem,
    Search,
    Breach,
    Reoffence,
    Holder,
    HolderName,
    Application,
    Order,
    OrderVersion,
    Notification,
    CustodyPeriod,
    HolderAddress,
    PersonLink,
    ReportWithdrawal,
}


def test_the_audited_models_are_guarded():
    # OrderType (reference data loaded by order_types) and ScrutinySummary (a cache of
    # computed figures) are not audited records.
    assert guarded_models("svro") == GUARDED


@pytest.mark.parametrize("model", sorted(GUARDED, key=lambda m: m.__name__))
@pytest.mark.parametrize(
    "writer",
    ["svduty.svro.views.register", "svduty.svro.tasks", "svduty.cases.actions"],
)
def test_a_direct_write_is_refused(model, writer):
    assert_every_write_refused(model, writer)
