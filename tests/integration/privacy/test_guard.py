"""The privacy app's audited models (the erasure log, retention runs, subject access
requests) are written only through its actions (core.guard): a view, the retention
task or another app writing them directly is refused; the actions still write."""

import datetime as dt

import pytest

from svduty.privacy.actions import apply_retention
from svduty.privacy.models import (
    ErasureRecord,
    RetentionRun,
    RunStatus,
    SubjectAccessRequest,
)
from tests.guarding import assert_every_write_refused, guarded_models

GUARDED = {RetentionRun, ErasureRecord, SubjectAccessRequest}


def test_the_audited_models_are_guarded():
    assert guarded_models("privacy") == GUARDED


@pytest.mark.parametrize("model", sorted(GUARDED, key=lambda m: m.__name__))
@pytest.mark.parametrize(
    "writer",
    ["svduty.privacy.views", "svduty.privacy.tasks", "svduty.cases.actions"],
)
def test_a_direct_write_is_refused(model, writer):
    assert_every_write_refused(model, writer)


@pytest.mark.django_db
def test_the_actions_still_write():
    run = apply_retention(today=dt.date(2025, 3, 10))
    saved = RetentionRun.objects.get(pk=run.pk)
    assert saved.status == RunStatus.SUCCEEDED
    assert saved.finished_at is not None
