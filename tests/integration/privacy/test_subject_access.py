"""Subject access (issue 14, point 11): the DPO finds a person, sees everything held
about them from every registered app, withholds third-party items, and exports the
pack; every step is audited and nothing of another person leaks into the pack."""

from __future__ import annotations

import json

from svduty.audit.models import AuditAction, AuditEvent
from svduty.cases import actions
from svduty.core.authorisation import Role
from svduty.privacy.models import SubjectAccessRequest
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner


def test_find_review_redact_and_export(db, make_user, client_for):
    council = AgencyFactory(name="SAR Council")
    partnership = partnership_with(council, name="SAR Partnership")
    lead = practitioner(council, full_name="Lee Lead")
    child = person_on_team(
        lead, partnership=partnership, first_name="Sunita", last_name="Requester"
    )
    sibling = person_on_team(
        lead, partnership=partnership, first_name="Bartholomew", last_name="Other"
    )
    stranger = person_on_team(
        lead, partnership=partnership, first_name="Unrelated", last_name="Stranger"
    )
    actions.add_address(by=lead, person=child, line_1="7 Request Road")
    actions.add_relationship(by=lead, person=child, related=sibling, kind="sibling")
    referral = actions.make_referral(
        by=lead,
        person=child,
        reasons=["weapon_carrying"],
        urgency="standard",
        what_is_known="Seen with an older boy",
    )
    actions.make_referral(
        by=lead,
        person=stranger,
        reasons=["weapon_carrying"],
        urgency="standard",
        what_is_known="Stranger's own referral text",
    )
    dpo = make_user(Role.AUDITOR)
    client = client_for(dpo)

    found = client.get("/data-protection/subject-access/", {"q": "Sunita Requester"})
    assert found.status_code == 200
    assert b"Sunita" in found.content and b"Stranger" not in found.content
    assert AuditEvent.objects.filter(
        action=AuditAction.SEARCH, actor_id=dpo.pk
    ).exists()

    started = client.post(
        "/data-protection/subject-access/start/", {"subject_id": child.pk}
    )
    sar = SubjectAccessRequest.objects.get()
    assert started.url == f"/data-protection/subject-access/{sar.pk}/"
    assert (sar.due_on - sar.received_on).days in (28, 29, 30, 31)

    review = client.get(started.url)
    assert review.status_code == 200
    body = review.content.decode()
    assert "7 Request Road" in body and "Seen with an older boy" in body
    assert "names another person" in body
    assert "Stranger&#x27;s own referral" not in body and "Stranger's own" not in body
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, target_type="cases.person", target_id=str(child.pk)
    ).exists()

    # Export is refused before a review.
    refused = client.get(f"/data-protection/subject-access/{sar.pk}/pack.json")
    assert refused.status_code == 302

    relationship_key = next(
        key for key in [f"cases.relationship:{r.pk}" for r in child.relationships.all()]
    )
    client.post(
        started.url,
        {"withhold": [relationship_key, "not-a-real-item"]},
    )
    sar.refresh_from_db()
    assert sar.withheld == [relationship_key]

    pack = client.get(f"/data-protection/subject-access/{sar.pk}/pack.json")
    assert pack.status_code == 200
    assert "attachment" in pack["Content-Disposition"]
    data = json.loads(pack.content)
    text = json.dumps(data)
    assert "7 Request Road" in text and "Seen with an older boy" in text
    assert "Bartholomew" not in text, "the withheld relationship names the sibling"
    assert "Withheld" in text and "Stranger" not in text
    referral_items = [
        item
        for section in data["sections"]
        for item in section["items"]
        if item["heading"] == "Referral"
    ]
    assert len(referral_items) == 1 and referral.pk
    export = AuditEvent.objects.get(action=AuditAction.DISCLOSURE, actor_id=dpo.pk)
    assert export.target_id == str(child.pk)
    assert export.detail["withheld"] == 1


def test_only_the_dpo(db, make_user, client_for):
    practitioner_user = make_user(Role.PRACTITIONER)
    client = client_for(practitioner_user)
    assert client.get("/data-protection/subject-access/").status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.REFUSED).exists()
