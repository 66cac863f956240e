"""The data protection officer's and the administrator's home pages list what needs
them now (issue 16, point 2): open subject access requests against their one-month
deadline, and invitations not yet used or run out. Counts only, with a link."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from svduty.accounts.models import Invitation
from svduty.core.authorisation import Role
from svduty.privacy import actions as privacy
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner


def _home(client) -> str:
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_dpo_sees_open_requests_by_deadline(db, make_user, client_for):
    council = AgencyFactory(name="Panel Council")
    partnership = partnership_with(council, name="Panel Partnership")
    lead = practitioner(council)
    child = person_on_team(lead, partnership=partnership)
    dpo = make_user(Role.AUDITOR)
    client = client_for(dpo)
    assert "No subject access request is open." in _home(client)

    today = timezone.localdate()
    privacy.open_subject_access_request(
        by=dpo, subject_id=child.pk, received_on=today - dt.timedelta(days=40)
    )
    privacy.open_subject_access_request(
        by=dpo, subject_id=child.pk, received_on=today - dt.timedelta(days=27)
    )
    privacy.open_subject_access_request(by=dpo, subject_id=child.pk)
    page = _home(client)
    assert "1 request past its deadline" in page
    assert "1 request due within 7 days" in page
    assert "1 other open request" in page
    assert reverse("privacy:sar_list") in page
    # Not for a practitioner: the panel is the data protection officer's.
    assert "Subject access requests" not in _home(client_for(lead))


def test_the_administrator_sees_invitations_waiting_and_expired(
    db, make_user, client_for
):
    admin = make_user(Role.SYSTEM_ADMIN)
    client = client_for(admin)
    assert "Everyone you invited has set up their account." in _home(client)

    waiting = make_user(Role.PRACTITIONER)
    Invitation.create_for(user=waiting, invited_by=admin)
    lapsed = make_user(Role.PRACTITIONER)
    old, _ = Invitation.create_for(user=lapsed, invited_by=admin)
    Invitation.objects.filter(pk=old.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    renewed = make_user(Role.PRACTITIONER)
    first, _ = Invitation.create_for(user=renewed, invited_by=admin)
    Invitation.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - dt.timedelta(days=10),
        expires_at=timezone.now() - dt.timedelta(days=3),
    )
    Invitation.create_for(user=renewed, invited_by=admin)  # sent again: not a problem
    page = _home(client)
    assert "1 invitation expired before it was used" in page
    assert "2 invitations not yet accepted" in page
    assert "Invitations" not in _home(client_for(waiting))
