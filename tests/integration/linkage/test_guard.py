"""Linkage's audited models are written only through its actions and its run
(`runs.run_linkage`, inside writes_allowed with its reason): a view, the export
command or another app writing them directly is refused. The partner records that an
import publishes are written by SQL (linkage.publishing), which the guard does not
see. The app's other tests drive the actions and the runs."""

import pytest

from svduty.linkage.models import (
    CandidatePair,
    LinkageRun,
    LinkageSettings,
    LinkedPerson,
    MergeEvent,
    PersonRecord,
)
from tests.guarding import assert_every_write_refused, guarded_models

GUARDED = {
    LinkageSettings,
    LinkedPerson,
    PersonRecord,
    LinkageRun,
    CandidatePair,
    MergeEvent,
}


def test_the_audited_models_are_guarded():
    assert guarded_models("linkage") == GUARDED


@pytest.mark.parametrize("model", sorted(GUARDED, key=lambda m: m.__name__))
@pytest.mark.parametrize(
    "writer",
    [
        "svduty.linkage.views",
        "svduty.linkage.runs",  # outside the run's writes_allowed
        "svduty.sharing.actions",
    ],
)
def test_a_direct_write_is_refused(model, writer):
    assert_every_write_refused(model, writer)
