"""The meetings demo: panels in the four Cleveland partnerships with attendance,
decisions and actions in the children's plans (some overdue); loading twice changes
nothing."""

from django.utils import timezone

from svduty.cases.models import PlanAction
from svduty.meetings.models import DecisionAction, Invitation, Meeting


def test_demo_loads_and_is_idempotent(db):
    from svduty.accounts import demo as accounts_demo
    from svduty.cases import demo as cases_demo
    from svduty.meetings import demo as meetings_demo
    from svduty.partnership import demo as partnership_demo

    context = {"quick": True}
    accounts_demo.load(context)
    partnership_demo.load(context)
    cases_demo.load(context)
    meetings_demo.load(context)
    meetings = Meeting.objects.count()
    assert meetings == 4 * 4
    assert set(Meeting.objects.values_list("partnership__slug", flat=True)) == {
        "hartlepool",
        "middlesbrough",
        "redcar-and-cleveland",
        "stockton-on-tees",
    }
    assert all(
        t.startswith("(Demo)") for t in Meeting.objects.values_list("title", flat=True)
    )
    assert Invitation.objects.exclude(attendance="not_recorded").exists()
    links = DecisionAction.objects.select_related("plan_action")
    assert links.exists()
    today = timezone.localdate()
    overdue = [x for x in links if x.plan_action.is_overdue(today)]
    done = [x for x in links if x.plan_action.completed_at is not None]
    assert overdue and done
    # The actions are the plans' own rows.
    assert PlanAction.objects.filter(meeting_decision__isnull=False).count() == len(
        links
    )
    # The demo shows meetings to the roles that use them: the Middlesbrough team
    # manager chairs the panels; the practitioner's agency is invited, and the
    # practitioner sees the children on the agenda whose records they may read,
    # with the decisions and actions about them.
    from svduty.accounts.models import User
    from svduty.meetings.reading import meeting_for

    for username in ("manager", "practitioner"):
        user = User.objects.get(username=username)
        panels = Meeting.objects.visible_to(user).filter(
            partnership__slug="middlesbrough"
        )
        assert panels.count() == 4, username
        view = meeting_for(user, panels.order_by("held_on").first())
        assert view.items and view.sections, username
        assert any(section.decisions for section in view.sections.values()), username

    meetings_demo.load(context)
    assert Meeting.objects.count() == meetings
