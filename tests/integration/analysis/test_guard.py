"""The analysis app's records are written only through its actions (core.guard):
needs assessment versions and harm weight tables by `analysis.actions`, snapshots by
the snapshot pipeline inside `writes_allowed` (derived data, not audited). A view,
the API or another app writing them directly is refused; the actions still write."""

import datetime as dt

import pytest

from svduty.analysis import actions
from svduty.analysis.models import HarmWeightTable, Snapshot, SnaVersion
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.analysis import grid_tables, make_snapshot
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.guarding import assert_every_write_refused, guarded_models

GUARDED = {Snapshot, SnaVersion, HarmWeightTable}


def test_the_analysis_records_are_guarded():
    assert guarded_models("analysis") == GUARDED


@pytest.mark.parametrize("model", sorted(GUARDED, key=lambda m: m.__name__))
@pytest.mark.parametrize(
    "writer",
    ["svduty.analysis.views", "svduty.analysis.api", "svduty.strategy.actions"],
)
def test_a_direct_write_is_refused(model, writer):
    assert_every_write_refused(model, writer)


def test_the_actions_and_the_pipeline_still_write(make_user, settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    agency = AgencyFactory(name="Guardham Council")
    partnership = PartnershipFactory(slug="guardham", name="Safer Guardham")
    MemberFactory(partnership=partnership, agency=agency)
    snapshot = make_snapshot(
        partnership,
        grid_tables(street=[("2022-01", "E01000001", "Robbery")]),
    )
    assert Snapshot.objects.filter(pk=snapshot.pk).exists()
    table = actions.import_harm_weights(
        by=make_user(Role.ANALYST, agency=agency),
        partnership=partnership,
        name="Severity weights",
        owner="Guardham Police analysts",
        source="Force analysis, 2024",
        effective_on=dt.date(2024, 4, 1),
        content=b"crime_type,weight\nrobbery,365.5\n",
    )
    assert HarmWeightTable.objects.get(pk=table.pk).weights == {"Robbery": 365.5}
