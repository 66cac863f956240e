"""The evidence demo: self-assessments, an audit sample with audits and a
moderation, and figures for every partnership; loading twice changes nothing."""

from svduty.evidence.models import (
    AuditSample,
    FigureRun,
    IndicatorFigure,
    SampleCase,
    SelfAssessment,
    TrainingSession,
)


def test_demo_loads_and_is_idempotent(db):
    from svduty.accounts import demo as accounts_demo
    from svduty.cases import demo as cases_demo
    from svduty.evidence import demo as evidence_demo
    from svduty.partnership import demo as partnership_demo

    context = {"quick": True}
    accounts_demo.load(context)
    partnership_demo.load(context)
    cases_demo.load(context)
    evidence_demo.load(context)
    assert SelfAssessment.objects.count() == 3
    assert AuditSample.objects.count() == 1
    assert SampleCase.objects.filter(audited_at__isnull=False).count() == 2
    assert SampleCase.objects.filter(moderated_at__isnull=False).count() == 1
    assert IndicatorFigure.objects.filter(indicator="children-referred").exists()
    assert TrainingSession.objects.count() == 4
    assert IndicatorFigure.objects.filter(indicator="recommendations-on-time").exists()
    runs = FigureRun.objects.count()
    evidence_demo.load(context)
    assert FigureRun.objects.count() == runs
    assert SelfAssessment.objects.count() == 3
    assert AuditSample.objects.count() == 1
