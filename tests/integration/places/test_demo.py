"""The places demo: synthetic places on real police.uk map points, one whose
incidents fell after an intervention, rising places for the agenda, a peer group;
loading twice changes nothing."""

import datetime as dt

import pytest

from svduty.partnership.models import Partnership
from svduty.places.evaluation import evaluate
from svduty.places.models import PeerGroup, Place, PlaceChild
from svduty.places.triggers import rising_places
from tests.factories.analysis import make_snapshot, real_cleveland_street


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"


def test_demo_places(db):
    from svduty.accounts import demo as accounts_demo
    from svduty.cases import demo as cases_demo
    from svduty.partnership import demo as partnership_demo
    from svduty.places import demo as places_demo

    context = {"quick": True}
    accounts_demo.load(context)
    partnership_demo.load(context)
    cases_demo.load(context)
    street = real_cleveland_street()
    for slug in ("middlesbrough", "stockton-on-tees"):
        make_snapshot(Partnership.objects.get(slug=slug), {"police_street": street})
    places_demo.load(context)
    counts = (
        Place.objects.count(),
        PlaceChild.objects.count(),
        PeerGroup.objects.count(),
    )
    assert counts[0] == len(places_demo.PLACES)
    assert set(Place.objects.values_list("partnership__slug", flat=True)) == set(
        places_demo.AREAS
    )
    assert all(
        name.endswith("(demo)") for name in Place.objects.values_list("name", flat=True)
    )
    assert counts[2] >= 1

    faygate = Place.objects.get(name="Faygate Court precinct (demo)")
    intervention = faygate.interventions.get(kind="detached_youth_work")
    from svduty.analysis.snapshot import current_snapshot

    result = evaluate(
        current_snapshot(faygate.partnership).path,
        latitude=faygate.latitude,
        longitude=faygate.longitude,
        radius_m=faygate.radius_m,
        started_on=intervention.started_on,
        months=5,
    )
    assert (result.before.count, result.after.count) == (350, 135)
    assert result.direction == "fell"

    # The practitioner and the team manager in Middlesbrough both see the place
    # and the children linked to it whose records they may read.
    from svduty.accounts.models import User
    from svduty.cases.models import Person

    for username in ("practitioner", "manager"):
        user = User.objects.get(username=username)
        assert Place.objects.visible_to(user).filter(pk=faygate.pk).exists()
        linked = PlaceChild.objects.filter(place=faygate).values("person")
        assert Person.objects.visible_to(user).filter(pk__in=linked).exists()

    stockton = Partnership.objects.get(slug="stockton-on-tees")
    rising = rising_places(stockton, as_of=dt.date(2026, 12, 4))
    assert "Bridge Road (demo)" in [r.place.name for r in rising]

    places_demo.load(context)
    assert (
        Place.objects.count(),
        PlaceChild.objects.count(),
        PeerGroup.objects.count(),
    ) == counts
