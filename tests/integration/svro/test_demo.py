"""The SVRO demo: synthetic orders for Cleveland with a realistic funnel, overdue
notifications, expiring orders and searches; loading twice changes nothing; the
svro user signs in to their orders and the analyst to the scrutiny dashboard."""

import pytest
from django.urls import reverse

from svduty.accounts.models import User
from svduty.svro.models import Application, Holder, Notification, Order, Search
from tests.factories.accounts import give_totp
from tests.real_data import full


def test_demo_svro(db, client_for):
    from svduty.accounts import demo as accounts_demo
    from svduty.partnership import demo as partnership_demo
    from svduty.svro import demo as svro_demo

    full("greater-manchester-stop-search-sample")
    context = {"quick": True}
    accounts_demo.load(context)
    partnership_demo.load(context)  # Cleveland's four local authority areas
    svro_demo.load(context)
    # Searches and people carry the area of their map point (scrutiny by area).
    assert Search.objects.filter(local_area__name="Middlesbrough").exists()
    assert Holder.objects.filter(local_area__isnull=False).count() >= 30
    counts = (Holder.objects.count(), Order.objects.count(), Search.objects.count())
    assert counts[0] == 40 and counts[1] > 15 and counts[2] > 50
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {"considered", "granted", "refused", "withdrawn"} <= statuses
    assert Notification.objects.filter(notified_on__isnull=True).exists()
    svro_demo.load(context)
    assert (
        Holder.objects.count(),
        Order.objects.count(),
        Search.objects.count(),
    ) == counts
    officer = User.objects.get(username="svro")
    give_totp(officer)  # MFA is switched off only in the served demo
    page = client_for(officer).get(reverse("svro:register"))
    assert page.status_code == 200 and "(demo)" in page.text
    analyst = User.objects.get(username="analyst")
    give_totp(analyst)
    page = client_for(analyst).get(reverse("svro:scrutiny"))
    assert page.status_code == 200 and "Search rates by ethnic group" in page.text
    # The lead published one transparency report: the public page shows it.
    from django.test import Client

    from svduty.svro.models import PublishedReport

    report = PublishedReport.objects.get()
    assert report.published_by.username == "lead"
    public = Client().get(reverse("public_svro:detail", args=[report.pk]))
    assert public.status_code == 200 and "fewer than" in public.text


pytestmark = pytest.mark.django_db
