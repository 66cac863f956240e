"""Case-level disclosures (issue 9, build 3): purpose and legal gateway recorded as
on imports, s.16 checked from facts in the action and the database, a disclosure
under an agreement checked as an import under it is, and a withdrawal tells the
recipient to stop using the information."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from svduty.audit.models import AuditEvent
from svduty.cases import actions
from svduty.cases.models import Disclosure
from svduty.sharing.models import LegalGateway
from tests.factories.sharing import AgreementFactory


@pytest.fixture
def police(world):
    world.police.agency_type = "police"
    world.police.save()
    # The discloser's agency (the lead's council) acts as the police would: a
    # council is a social care authority, which s.16(4)(b) excludes.
    council = world.lead.memberships.get().agency
    council.agency_type = "youth_justice"
    council.save()
    return world.police


def disclose(world, **changes):
    values = {
        "by": world.lead,
        "person": world.child,
        "disclosed_on": timezone.localdate(),
        "recipient": "DS Smith",
        "recipient_organisation": "Cases Police",
        "legal_gateway": "pcsc2022_s16",
        "purpose_basis": "duty_functions",
        "purpose": "Joint problem-solving on the estate",
        "information_shared": "School attendance",
        "recipient_email": "ds.smith@police.example",
    }
    values.update(changes)
    return actions.record_disclosure(**values)


def test_s16_needs_the_duty_purpose_and_an_s16_recipient(world, police):
    with pytest.raises(ValidationError) as error:
        disclose(world, recipient_agency=None, purpose_basis="safeguarding")
    assert set(error.value.message_dict) == {"recipient_agency", "purpose_basis"}
    charity = world.school
    charity.agency_type = "voluntary"
    charity.save()
    with pytest.raises(ValidationError, match="cannot receive information under"):
        disclose(world, recipient_agency=charity)
    made = disclose(world, recipient_agency=police)
    assert made.purpose_basis == "duty_functions"
    event = AuditEvent.objects.filter(action="disclosure").latest("pk")
    assert event.detail["purpose"] == "duty_functions"
    # Another gateway may have another purpose and no agency on svduty.
    other = disclose(
        world,
        legal_gateway="ca2004_s11",
        purpose_basis="safeguarding",
        recipient_agency=None,
    )
    assert other.recipient_agency is None


def test_the_database_refuses_an_s16_disclosure_outside_the_rules(world, police):
    made = disclose(world, recipient_agency=police)
    with pytest.raises(IntegrityError, match="section 16"), transaction.atomic():
        Disclosure.objects.filter(pk=made.pk).update(purpose_basis="other")
    charity = world.school
    charity.agency_type = "voluntary"
    charity.save()
    with pytest.raises(IntegrityError, match="section 16"), transaction.atomic():
        Disclosure.objects.filter(pk=made.pk).update(recipient_agency=charity)
    # Rows from before the purpose was asked for are left as they were: the check
    # runs only when these columns change.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_disclosure SET information_shared = 'x' WHERE id = %s",
            [made.pk],
        )


def test_a_disclosure_under_an_agreement_is_checked_as_an_import_is(world, police):
    council = world.lead.memberships.get().agency
    agreement = AgreementFactory(
        partnership=world.partnership,
        parties=[council, police],
        created_by=world.lead,
        legal_gateway=LegalGateway.PCSC_S16,
        datasets=["police_crime_extract"],
    )
    agreement.providers.set([council])
    made = disclose(world, recipient_agency=police, agreement=agreement)
    assert made.agreement == agreement
    # The gateway is the agreement's.
    with pytest.raises(ValidationError) as error:
        disclose(
            world,
            legal_gateway="cda1998_s115",
            purpose_basis="crime",
            recipient_agency=police,
            agreement=agreement,
        )
    assert "legal_gateway" in error.value.message_dict
    # Not a party to it.
    world.school.agency_type = "education"
    world.school.save()
    with pytest.raises(ValidationError, match="not a party"):
        disclose(world, recipient_agency=world.school, agreement=agreement)
    # Not in force on the day.
    with pytest.raises(ValidationError, match="not in force"):
        disclose(
            world,
            recipient_agency=police,
            agreement=agreement,
            disclosed_on=dt.date(2023, 12, 31),
        )
    # Anonymous data only.
    agreement.personal_information = False
    agreement.save()
    with pytest.raises(ValidationError, match="anonymous or aggregate"):
        disclose(world, recipient_agency=police, agreement=agreement)
    # Another partnership's agreement: refused by the action and the database.
    elsewhere = AgreementFactory(created_by=world.lead)
    with pytest.raises(ValidationError, match="of this partnership"):
        disclose(world, recipient_agency=police, agreement=elsewhere)
    with pytest.raises(IntegrityError, match="partnership"), transaction.atomic():
        Disclosure.objects.filter(pk=made.pk).update(agreement=elsewhere)


def test_withdrawing_tells_the_recipient_and_marks_the_record(
    world, police, client_for, django_capture_on_commit_callbacks
):
    made = disclose(world, recipient_agency=police)
    client = client_for(world.lead)
    page = client.get(reverse("cases:person", args=[world.child.pk])).content.decode()
    assert "Purpose: To enable or assist the recipient" in page
    url = reverse("cases:disclosure_withdraw", args=[world.child.pk, made.pk])
    response = client.post(url, {"reason": "short"})
    assert response.status_code == 200 and "at least 10 characters" in (
        response.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Shared with the wrong officer."})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.withdrawn_at is not None and made.withdrawn_by == world.lead
    assert [m.to for m in mail.outbox] == [["ds.smith@police.example"]]
    assert "Stop using the information" in mail.outbox[0].body
    page = client.get(reverse("cases:person", args=[world.child.pk])).content.decode()
    assert "Withdrawn" in page and "Shared with the wrong officer." in page
    # Once withdrawn, it cannot be withdrawn again; and another child's record
    # cannot reach it.
    assert client.get(url).status_code == 404
    with pytest.raises(IntegrityError), transaction.atomic():
        Disclosure.objects.filter(pk=made.pk).update(withdrawal_reason="")
