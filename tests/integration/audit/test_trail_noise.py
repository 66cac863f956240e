"""The audit trail records what people looked at, not the auditor's own browsing of
the trail (issue 16, point 7)."""

from __future__ import annotations

from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role


def test_browsing_the_trail_writes_nothing_and_an_export_writes_one_event(
    make_user, client_for
):
    auditor = make_user(Role.AUDITOR)
    client = client_for(auditor)
    before = AuditEvent.objects.count()
    for query in ("", "?page=2", "?action=view", "?page=1&action=sign_in"):
        assert client.get("/audit/" + query).status_code == 200
    # The browser also asks for the icon on every page: not a refusal to record.
    client.get("/favicon.ico")
    assert AuditEvent.objects.count() == before
    client.get("/audit/export.csv?action=view").getvalue()
    events = AuditEvent.objects.order_by("-pk")
    assert AuditEvent.objects.count() == before + 1
    assert events[0].action == AuditAction.EXPORT
