"""Subject access covers every app that holds personal data (issue 14, point 11):
meetings, places, services, record linkage, the SVRO register and case audits as
well as the child's record. A request started from any of a person's records (the
child's record, an order holder, a partner agency's record) gathers the others
linked to it, and nothing about another person. The pack is exported as JSON and
as a tagged PDF, each export audited."""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role
from svduty.evidence import actions as evidence_actions
from svduty.evidence.models import AUDIT_QUESTIONS
from svduty.linkage.models import LinkedPerson, PersonRecord
from svduty.meetings import actions as meeting_actions
from svduty.meetings.models import MeetingType
from svduty.places import actions as place_actions
from svduty.places.models import PlaceLinkRole
from svduty.privacy import actions
from svduty.privacy.models import SubjectAccessRequest
from svduty.privacy.subject_access import Subject, find_subjects, gather, identities
from svduty.svro.models import PersonLink
from tests.factories.evidence import assessment, evidence_world
from tests.factories.places import make_place
from tests.factories.services import make_service, refer
from tests.factories.svro import force, make_holder, make_order

pytestmark = pytest.mark.django_db


def pdf_text(body: bytes) -> bytes:
    parts = [body]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", body, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture
def world(make_user):
    """Ash and Bo, two children in one partnership, each with something in every
    app; only Ash's must reach Ash's pack."""
    w = evidence_world("SAR Apps")
    ash, bo, manager = w.ash, w.bo, w.manager
    meeting = meeting_actions.schedule_meeting(
        by=manager,
        partnership=w.partnership,
        meeting_type=MeetingType.MACE,
        title="MACE panel",
        held_on=timezone.localdate(),
        chair=manager,
    )
    for child in (ash, bo):
        meeting_actions.add_agenda_item(
            by=manager, meeting=meeting, person=child, paper=f"Paper about {child}"
        )
    meeting_actions.record_minute(
        by=manager,
        meeting=meeting,
        heading="Children at the skate park",
        text="Panel discussed the skate park.",
        parts={ash: "Ash was seen with older men.", bo: "Bo has a drug debt."},
    )
    for child in (ash, bo):
        meeting_actions.record_decision(
            by=manager, meeting=meeting, person=child, text=f"Decision about {child}"
        )
    place = make_place(manager, w.partnership, name="Skate park")
    for child, note in ((ash, "Ash goes most evenings"), (bo, "Bo sells here")):
        place_actions.link_child(
            by=manager,
            place=place,
            person=child,
            role=PlaceLinkRole.AT_RISK_HERE,
            linked_on=dt.date(2026, 1, 5),
            note=note,
        )
    service = make_service(manager, w.partnership, name="Boxing club mentoring")
    refer(manager, ash, service, reason="Ash needs a trusted adult")
    refer(manager, bo, service, reason="Bo's own referral reason")

    sample = evidence_actions.draw_sample(
        by=w.lead, partnership=w.partnership, title="MACE audit", seed=3, size=2
    )
    for case in sample.cases.all():
        evidence_actions.record_case_audit(
            by=w.lead,
            case=case,
            answers={k: "yes" for k, _ in AUDIT_QUESTIONS},
            grade="adequate",
            learning=f"Audit learning about {case.person.first_name}",
        )

    bo_assessment = assessment(
        w,
        person=bo,
        started=dt.date(2026, 1, 5),
        due=dt.date(2026, 3, 5),
        siblings_and_peers="Bo spends time with Ash at the skate park",
    )
    bo_assessment.linked_people.set([ash])

    officer = make_user(Role.SVRO_OFFICER, agency=force())
    holder = make_holder(officer, name="Ashley Alpha", reference="SVRO-ASH-1")
    make_order(officer, holder=holder)
    PersonLink.objects.create(holder=holder, person=ash, linked_by=officer)
    other_holder = make_holder(officer, name="Quinn Unlinked", reference="SVRO-Q-2")

    cluster = LinkedPerson.objects.create(partnership=w.partnership, case_person=ash)
    partner = PersonRecord.objects.create(
        partnership=w.partnership,
        agency_code="ED",
        local_id="UPN-A",
        forenames="Ash",
        surname="Alpha",
        upn="A123456789012",
        date_of_birth=dt.date(2011, 3, 4),
        linked_person=cluster,
    )
    stray = PersonRecord.objects.create(
        partnership=w.partnership,
        agency_code="YJS",
        local_id="Y-77",
        forenames="Zed",
        surname="Nobody",
        date_of_birth=dt.date(2009, 1, 1),
    )
    w.holder, w.other_holder, w.partner, w.stray = holder, other_holder, partner, stray
    w.dpo = make_user(Role.AUDITOR)
    return w


def _pack_text(world, subject: Subject) -> tuple[SubjectAccessRequest, dict, str]:
    sar = actions.open_subject_access_request(
        by=world.dpo, subject_id=subject.id, subject_type=subject.kind
    )
    actions.review_subject_access_request(by=world.dpo, request=sar, withheld=[])
    sar.refresh_from_db()
    pack = actions.export_subject_access_pack(by=world.dpo, request=sar)
    return sar, pack, json.dumps(pack)


def _minute_key(sar: SubjectAccessRequest) -> str:
    return next(
        item.key
        for section in gather(sar.subject)
        for item in section.items
        if item.key.startswith("meetings.minutepart")
    )


def test_the_pack_covers_every_app_and_no_one_else(world):
    _, pack, text = _pack_text(world, Subject("cases.person", world.ash.pk))
    titles = {s["title"] for s in pack["sections"] if s["items"]}
    assert {
        "Multi-agency meetings: agenda items, minutes and decisions",
        "Places and peer groups",
        "Services and interventions",
        "Audits of the record's quality",
        "Serious violence reduction orders (police register)",
        "Records shared by partner agencies and record linkage",
    } <= titles
    for expected in (
        "Ash was seen with older men.",
        "Decision about Ash",
        "Ash goes most evenings",
        "Ash needs a trusted adult",
        "Audit learning about Ash",
        "Ashley Alpha",
        "SVRO-ASH-1",
        "Teesside Crown Court",
        "A123456789012",
        "Bo spends time with Ash at the skate park",
    ):
        assert expected in text, expected
    for leaked in (
        "Bo has a drug debt",
        "Decision about Bo",
        "Bo sells here",
        "Bo's own referral",
        "Audit learning about Bo",
        "Quinn Unlinked",
        "Zed",
    ):
        assert leaked not in text, leaked
    assert f"svro.holder:{world.holder.pk}" in pack["records"]
    assert f"linkage.personrecord:{world.partner.pk}" in pack["records"]


def test_every_item_that_may_name_someone_else_is_marked(world):
    items = {
        item.key.split(":")[0]: item
        for section in gather(Subject("cases.person", world.ash.pk))
        for item in section.items
    }
    for key in (
        "meetings.minutepart",
        "meetings.decision",
        "places.placechild",
        "evidence.samplecase",
        "svro.order",
        "linkage.personrecord",
    ):
        assert items[key].third_party, key
    named = [
        item
        for section in gather(Subject("cases.person", world.ash.pk))
        for item in section.items
        if item.heading == "Named in another child's assessment"
    ]
    assert len(named) == 1 and named[0].third_party == "an assessment of another child"
    assert "multi-agency meeting" in items["meetings.minutepart"].third_party


def test_starting_from_any_record_of_the_person_gives_the_same_records(world):
    from_child = identities(Subject("cases.person", world.ash.pk)).subjects
    from_holder = identities(Subject("svro.holder", world.holder.pk)).subjects
    from_partner = identities(
        Subject("linkage.personrecord", world.partner.pk)
    ).subjects
    assert from_child == from_holder == from_partner
    assert Subject("svro.holder", world.other_holder.pk) not in from_child
    assert identities(Subject("linkage.personrecord", world.stray.pk)).subjects == {
        Subject("linkage.personrecord", world.stray.pk)
    }


def test_the_search_finds_holders_and_partner_records_too(world):
    found = {(c.kind, c.subject_id) for c in find_subjects("Quinn")}
    assert found == {("svro.holder", world.other_holder.pk)}
    found = {(c.kind, c.subject_id) for c in find_subjects("Zed Nobody")}
    assert found == {("linkage.personrecord", world.stray.pk)}
    # A partner record already tied to a child's record is found as the child.
    kinds = {c.kind for c in find_subjects("A123456789012")}
    assert "linkage.personrecord" in kinds


def test_a_holder_with_no_child_record_gets_a_pack(world, client_for):
    client = client_for(world.dpo)
    listed = client.get("/data-protection/subject-access/", {"q": "Quinn"})
    assert b"Order holder (police register)" in listed.content
    started = client.post(
        "/data-protection/subject-access/start/",
        {"subject_id": world.other_holder.pk, "subject_type": "svro.holder"},
    )
    sar = SubjectAccessRequest.objects.get(subject_type="svro.holder")
    assert started.url == f"/data-protection/subject-access/{sar.pk}/"
    review = client.get(started.url)
    assert b"Quinn Unlinked" in review.content and b"Ash" not in review.content
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW,
        target_type="svro.holder",
        target_id=str(world.other_holder.pk),
    ).exists()
    # An unknown kind of record is refused, not guessed.
    assert (
        client.post(
            "/data-protection/subject-access/start/",
            {"subject_id": world.ash.pk, "subject_type": "accounts.user"},
        ).status_code
        == 404
    )


def test_pdf_pack_is_tagged_audited_and_withholds(world, client_for):
    client = client_for(world.dpo)
    sar = actions.open_subject_access_request(by=world.dpo, subject_id=world.ash.pk)
    url = f"/data-protection/subject-access/{sar.pk}/pack.pdf"
    assert client.get(url).status_code == 302, "refused before the review"
    assert not AuditEvent.objects.filter(action=AuditAction.DISCLOSURE).exists()

    minute = _minute_key(sar)
    client.post(f"/data-protection/subject-access/{sar.pk}/", {"withhold": [minute]})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    body = pdf_text(response.content)
    assert response.content.startswith(b"%PDF")
    assert b"/StructTreeRoot" in body and b"pdfuaid" in body
    assert b"/Lang" in body
    event = AuditEvent.objects.get(action=AuditAction.DISCLOSURE)
    assert event.detail["format"] == "pdf"
    assert event.detail["withheld"] == 1
    assert event.detail["recipient"] == "the data subject"
    assert f"svro.holder:{world.holder.pk}" in event.detail["records"]


def test_pdf_template_shows_items_and_notices_only(world):
    sar = actions.open_subject_access_request(by=world.dpo, subject_id=world.ash.pk)
    minute = _minute_key(sar)
    sar = actions.review_subject_access_request(
        by=world.dpo, request=sar, withheld=[minute]
    )
    pack = actions.subject_access_pack(sar)
    html = render_to_string(
        "privacy/sar_pack_pdf.html",
        {"pack": pack, "received_on": sar.received_on, "produced_at": timezone.now()},
    )
    assert '<html lang="en-GB">' in html
    assert "Information we hold about Ash Alpha" in html
    assert "Ash needs a trusted adult" in html
    assert "Ash was seen with older men" not in html
    assert "Withheld: it would identify someone else" in html
