from datetime import timedelta

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone

from svduty.accounts import actions
from svduty.accounts.models import User
from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Permission, Role
from svduty.core.policies import PolicyQuerySet, get_visible_or_404, has_permission
from svduty.partnership.models import Partnership, PartnershipMember, StatutoryRole

pytestmark = pytest.mark.django_db


def test_token_is_shown_once_and_stored_hashed(make_user):
    user = make_user(Role.ANALYST)
    token, raw = actions.create_token(by=user, name="nightly upload")
    assert raw.startswith("svd_") and raw not in token.secret_hash
    assert (
        Client().get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"]
        == user.username
    )
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATED).count() == 1


def test_expired_and_revoked_tokens_are_refused(make_user, time_machine):
    user = make_user(Role.ANALYST)
    token, raw = actions.create_token(by=user, name="short")
    time_machine.move_to(token.expires_at + timedelta(seconds=1))
    assert (
        Client().get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    )
    time_machine.move_to(timezone.now() - timedelta(days=100))
    token2, raw2 = actions.create_token(by=user, name="revoked")
    actions.revoke_token(by=user, token=token2)
    assert (
        Client().get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {raw2}").status_code == 401
    )
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED).count() == 1


def test_wrong_secret_with_real_key_id_is_refused(make_user):
    user = make_user(Role.ANALYST)
    _token, raw = actions.create_token(by=user, name="x")
    forged = raw[:-4] + ("aaaa" if not raw.endswith("aaaa") else "bbbb")
    assert (
        Client().get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {forged}").status_code
        == 401
    )


def test_anonymous_api_is_refused_and_schema_is_served_to_users(make_user, client_for):
    assert Client().get("/api/me/").status_code in (401, 403)
    response = client_for(make_user(Role.ANALYST)).get("/api/schema/")
    assert response.status_code == 200 and b"openapi" in response.content


def test_healthz_reports_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {
        "status": "ok",
        "database": "ok",
        "tasks_stuck": 0,
    }


def test_policy_queryset_denies_by_default():
    assert list(PolicyQuerySet(model=User).visible_to(None)) == []


def test_object_outside_scope_is_404(make_user):
    from tests.factories.accounts import AgencyFactory

    mine, theirs = AgencyFactory(name="Mine"), AgencyFactory(name="Theirs")
    own = Partnership.objects.create(slug="own", name="Own partnership")
    other = Partnership.objects.create(slug="other", name="Other partnership")
    PartnershipMember.objects.create(
        partnership=own, agency=mine, statutory_role=StatutoryRole.SPECIFIED
    )
    PartnershipMember.objects.create(
        partnership=other, agency=theirs, statutory_role=StatutoryRole.SPECIFIED
    )
    analyst = make_user(Role.ANALYST, agency=mine)
    assert get_visible_or_404(Partnership.objects.all(), analyst, slug="own") == own
    with pytest.raises(Http404):
        get_visible_or_404(Partnership.objects.all(), analyst, slug="other")
    assert has_permission(analyst, Permission.VIEW_PARTNERSHIP, obj=own)
    assert not has_permission(analyst, Permission.VIEW_PARTNERSHIP, obj=other)


def test_inactive_user_has_no_permissions(make_user):
    user = make_user(Role.SYSTEM_ADMIN)
    user.is_active = False
    assert not has_permission(user, Permission.MANAGE_USERS)


def test_auditor_search_and_export_is_itself_audited(make_user, client_for):
    auditor = make_user(Role.AUDITOR)
    analyst = make_user(Role.ANALYST)
    client_for(analyst)  # a sign-in event to find
    client = client_for(auditor)
    response = client.get("/audit/", {"user": analyst.username, "action": "sign_in"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    response = client.get("/audit/export.csv", {"user": analyst.username})
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert analyst.username in body
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.actor_id == auditor.pk and export.detail["rows"] == 1


def test_audit_search_rejects_backwards_dates(make_user, client_for):
    client = client_for(make_user(Role.AUDITOR))
    response = client.get(
        "/audit/", {"date_from": "2026-03-02", "date_to": "2026-03-01"}
    )
    assert (
        "The ‘to’ date must be the same as or after the ‘from’ date"
        in response.content.decode()
    )


def test_only_the_closest_navigation_item_is_marked_current(make_user, client_for):
    manager = make_user(Role.TEAM_MANAGER)
    response = client_for(manager).get("/children/settings/")
    active = [i["label"] for i in response.context["service_navigation"] if i["active"]]
    assert active == ["Settings"]
