"""Sharing's audited models are written only through its actions (core.guard):
agreements by `actions`, section 17 requests by `actions_s17`, import batches by
the import pipeline (`imports`, inside `writes_allowed` with its reason). A view, a
task or another app writing them directly is refused."""

import pytest

from svduty.sharing.imports import run_import
from svduty.sharing.models import BatchStatus, DataSharingAgreement, ImportBatch
from svduty.sharing.s17_models import InformationRequest
from tests.guarding import assert_every_write_refused, guarded_models

from .conftest import STREET_2022_01

GUARDED = {DataSharingAgreement, ImportBatch, InformationRequest}


def test_the_audited_models_are_guarded():
    # The imported rows (ImportedData) are written by COPY, not through the ORM.
    assert guarded_models("sharing") == GUARDED


@pytest.mark.parametrize("model", sorted(GUARDED, key=lambda m: m.__name__))
@pytest.mark.parametrize(
    "writer",
    [
        "svduty.sharing.views",
        "svduty.sharing.tasks",
        "svduty.sharing.imports",  # only its marked writes are allowed
        "svduty.analysis.actions",
    ],
)
def test_a_direct_write_is_refused(model, writer):
    assert_every_write_refused(model, writer)


def test_the_import_pipeline_still_writes_its_batch(analyst, partnership):
    batch = run_import(
        by=analyst, partnership=partnership, kind="police_street", path=STREET_2022_01
    )
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.SUCCEEDED
