"""The services demo: a catalogue in each partnership, waiting lists, a reachable
moment that became a referral, NRM referrals; loading twice changes nothing."""

from svduty.services.models import (
    NrmReferral,
    ReachableMoment,
    Service,
    ServiceReferral,
)
from svduty.services.states import WAITING


def test_demo_services(db):
    from svduty.accounts import demo as accounts_demo
    from svduty.cases import demo as cases_demo
    from svduty.partnership import demo as partnership_demo
    from svduty.services import demo as services_demo

    context = {"quick": True}
    accounts_demo.load(context)
    partnership_demo.load(context)
    cases_demo.load(context)
    services_demo.load(context)
    counts = (
        Service.objects.count(),
        ServiceReferral.objects.count(),
        NrmReferral.objects.count(),
    )
    assert counts[0] == 4 * len(services_demo.CATALOGUE)
    assert ServiceReferral.objects.filter(status__in=WAITING).exists()
    assert ServiceReferral.objects.filter(status="ended").exists()
    assert ReachableMoment.objects.filter(referral__isnull=False).exists()
    services_demo.load(context)
    assert counts == (
        Service.objects.count(),
        ServiceReferral.objects.count(),
        NrmReferral.objects.count(),
    )
