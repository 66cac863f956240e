"""The demo loads synthetic children in the Cleveland partnerships, and loading it
twice changes nothing."""

from svduty.cases.models import Event, Person, Referral


def test_demo_loads_and_is_idempotent(db):
    from svduty.accounts import demo as accounts_demo
    from svduty.cases import demo as cases_demo
    from svduty.partnership import demo as partnership_demo

    context = {"quick": True}
    accounts_demo.load(context)
    partnership_demo.load(context)
    cases_demo.load(context)
    people = Person.objects.count()
    assert people == 62
    # The team manager has a queue to triage (issue 16, point 2).
    waiting = Referral.objects.filter(
        partnership__slug="middlesbrough", decided_at__isnull=True
    )
    assert sorted(waiting.values_list("urgency", flat=True)) == ["standard", "urgent"]
    assert Referral.objects.count() >= 60
    assert Event.objects.count() > 200
    assert Person.objects.filter(risk_level="high").exists()
    assert set(Person.objects.values_list("partnership__slug", flat=True)) == {
        "hartlepool",
        "middlesbrough",
        "redcar-and-cleveland",
        "stockton-on-tees",
    }
    assert all(
        name[:4] in {"Demo", "Samp", "Mock", "Fict", "Test", "Exam", "Synt"}
        for name in Person.objects.values_list("last_name", flat=True)
    )
    cases_demo.load(context)
    assert Person.objects.count() == people


def test_demo_marks_only_some_children_overdue(db):
    """Issue 16, point 2: the practitioner's case list marked almost every child
    "Overdue", so the flag meant nothing. In the demo most children's work is on
    time and some are behind."""
    from django.utils import timezone

    from svduty.accounts import demo as accounts_demo
    from svduty.cases import demo as cases_demo
    from svduty.partnership import demo as partnership_demo

    context = {"quick": True}
    accounts_demo.load(context)
    partnership_demo.load(context)
    cases_demo.load(context)
    screened = Person.objects.exclude(risk_level="")
    overdue = screened.filter(next_due_on__lt=timezone.localdate()).count()
    assert 0 < overdue <= screened.count() * 0.35, (overdue, screened.count())
