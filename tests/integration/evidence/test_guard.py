"""evidence's audited models are written only through its actions (core.guard): a
view, another module of the app or another app writing them directly is refused.
The app's other tests drive its actions and pages, so they show the actions still
write."""

import pytest

from svduty.evidence.models import (
    AuditForm,
    AuditSample,
    ChildPopulation,
    EngagementActivity,
    EvidenceLink,
    FigureRun,
    IndicatorFigure,
    InspectionExport,
    LearningEvent,
    OversightDecision,
    PracticeReview,
    Recommendation,
    SampleCase,
    SelfAssessment,
    SupervisionReturn,
    TrainingAttendance,
    TrainingSession,
)
from tests.guarding import assert_every_write_refused, guarded_models

GUARDED = {
    FigureRun,
    IndicatorFigure,
    SelfAssessment,
    EvidenceLink,
    InspectionExport,
    AuditForm,
    AuditSample,
    SampleCase,
    TrainingSession,
    TrainingAttendance,
    SupervisionReturn,
    EngagementActivity,
    PracticeReview,
    Recommendation,
    LearningEvent,
    OversightDecision,
    ChildPopulation,
}


def test_the_audited_models_are_guarded():
    assert guarded_models("evidence") == GUARDED


@pytest.mark.parametrize("model", sorted(GUARDED, key=lambda m: m.__name__))
@pytest.mark.parametrize(
    "writer",
    ["svduty.evidence.views.audits", "svduty.evidence.figures", "svduty.cases.actions"],
)
def test_a_direct_write_is_refused(model, writer):
    assert_every_write_refused(model, writer)
