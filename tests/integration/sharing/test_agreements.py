"""The agreements register: the s.16 rule, audit, optimistic locking, the list."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from svduty.accounts.models import AgencyType
from svduty.audit.models import AuditAction, AuditEvent
from svduty.sharing import actions
from svduty.sharing.models import AgreementStatus, DataSharingAgreement, LegalGateway
from svduty.sharing.s16 import HEALTH_OR_SOCIAL_CARE_TYPES, S16_PARTY_TYPES
from tests.factories.accounts import AgencyFactory
from tests.factories.sharing import AgreementFactory


def _values(**overrides):
    values = {
        "title": "ED assaults",
        "purpose": "Violence unknown to police",
        "for_duty_functions": True,
        "legal_gateway": LegalGateway.PCSC_S16,
        "legal_gateway_other": "",
        "lawful_basis": "gdpr_6_1_e",
        "special_category_condition": "",
        "criminal_offence_condition": "",
        "data_items": "ISTV minimum dataset",
        "datasets": ["istv"],
        "discloses_patient_information": False,
        "personal_information": True,
        "dpia_reference": "",
        "dpia_outcome": "low_risk",
        "retention_and_deletion": "3 years",
        "security_measures": "MFA",
        "rights_route": "DPO",
        "frequency": "Monthly",
        "signed_off_by": "",
        "signed_off_at": None,
        "starts_on": dt.date(2024, 1, 1),
        "review_on": dt.date(2025, 1, 1),
        "ends_on": None,
    }
    values.update(overrides)
    return values


def test_section_16_is_refused_for_patient_information(analyst, partnership, police):
    with pytest.raises(ValidationError) as error:
        actions.create_agreement(
            by=analyst,
            partnership=partnership,
            parties=[police],
            **_values(discloses_patient_information=True),
        )
    assert "section 16(4)(a)" in error.value.message_dict["legal_gateway"][0]
    assert DataSharingAgreement.objects.count() == 0
    # The same rule holds in the database for anything that bypasses the action.
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(
            partnership=partnership,
            created_by=analyst,
            discloses_patient_information=True,
        )


@pytest.fixture
def nhs_trust(db):
    return AgencyFactory(
        name="North Tees and Hartlepool NHS Foundation Trust",
        agency_type=AgencyType.HEALTH_PROVIDER,
    )


def test_an_nhs_trust_providing_personal_data_under_s16_is_refused(
    analyst, partnership, police, nhs_trust
):
    """Section 16 is judged from the agencies' types, not from a tick-box."""
    with pytest.raises(ValidationError) as error:
        actions.create_agreement(
            by=analyst,
            partnership=partnership,
            parties=[police, nhs_trust],
            providers=[nhs_trust],
            **_values(),
        )
    messages = " ".join(error.value.message_dict["legal_gateway"])
    assert "Not one of them: North Tees" in messages
    assert "(section 16(4)(b)): North Tees" in messages
    assert DataSharingAgreement.objects.count() == 0
    # The database refuses the same, whatever the flags say.
    agreement = AgreementFactory(partnership=partnership, created_by=analyst)
    agreement.parties.set([police])
    with pytest.raises(IntegrityError, match="section 16"), transaction.atomic():
        agreement.parties.add(nhs_trust)


@pytest.mark.parametrize(
    "agency_type, personal, refused",
    [
        (AgencyType.ICB, True, True),  # health: no personal information
        (AgencyType.ICB, False, False),  # anonymous or aggregate: allowed
        (AgencyType.LOCAL_AUTHORITY, True, True),  # social care functions
        (AgencyType.POLICE, True, False),
    ],
)
def test_s16_provider_boundary_in_the_action_and_the_database(
    analyst, partnership, police, agency_type, personal, refused
):
    provider = AgencyFactory(agency_type=agency_type)
    values = _values(personal_information=personal)
    if refused:
        with pytest.raises(ValidationError, match="16\\(4\\)\\(b\\)"):
            actions.create_agreement(
                by=analyst,
                partnership=partnership,
                parties=[police, provider],
                providers=[provider],
                **values,
            )
    else:
        agreement = actions.create_agreement(
            by=analyst,
            partnership=partnership,
            parties=[police, provider],
            providers=[provider],
            **values,
        )
        assert agreement.discloser_is_health_or_social_care is False
    agreement = AgreementFactory(
        partnership=partnership, created_by=analyst, personal_information=personal
    )
    agreement.parties.set([police, provider])
    if refused:
        with pytest.raises(IntegrityError), transaction.atomic():
            agreement.providers.add(provider)
    else:
        agreement.providers.add(provider)


def test_the_database_lists_match_the_code(db):
    import re

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT prosrc FROM pg_proc WHERE proname = 'sharing_s16_facts_check'"
        )
        source = cursor.fetchone()[0]
    lists = [
        set(re.findall(r"'([a-z_]+)'", found))
        for found in re.findall(r"agency_type (?:NOT )?IN \(([^)]*)\)", source)
    ]
    assert lists == [set(S16_PARTY_TYPES), set(HEALTH_OR_SOCIAL_CARE_TYPES)]


def test_section_17_is_accepted_for_health_data_and_audited(
    analyst, partnership, police
):
    agreement = actions.create_agreement(
        by=analyst,
        partnership=partnership,
        parties=[police],
        **_values(legal_gateway=LegalGateway.PCSC_S17),
    )
    assert agreement.covers("istv") and not agreement.covers("police_crime_extract")
    event = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert event.target_id == str(agreement.pk)


def test_changes_are_refused_when_someone_else_saved_first(analyst, agreement):
    values = _values(title="Renamed", legal_gateway=LegalGateway.PCSC_S17)
    parties = list(agreement.parties.all())
    actions.change_agreement(
        by=analyst, agreement=agreement, version=1, parties=parties, **values
    )
    with pytest.raises(ValidationError, match="Someone else changed"):
        actions.change_agreement(
            by=analyst, agreement=agreement, version=1, parties=parties, **values
        )
    agreement.refresh_from_db()
    assert agreement.version == 2
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE).count() == 1


def test_status_active_expired_and_due_for_review(analyst, partnership):
    on = dt.date(2026, 4, 1)
    active = AgreementFactory(
        partnership=partnership, created_by=analyst, review_on=dt.date(2027, 1, 1)
    )
    due = AgreementFactory(
        partnership=partnership, created_by=analyst, review_on=dt.date(2026, 4, 20)
    )
    ended = AgreementFactory(
        partnership=partnership,
        created_by=analyst,
        review_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    unsigned = AgreementFactory(
        partnership=partnership,
        created_by=analyst,
        signed_off_by="",
        signed_off_at=None,
    )
    assert active.status(on) == AgreementStatus.ACTIVE
    assert due.status(on) == AgreementStatus.DUE_FOR_REVIEW
    assert ended.status(on) == AgreementStatus.EXPIRED
    assert unsigned.status(on) == AgreementStatus.NOT_SIGNED_OFF
    assert not ended.is_active(on) and not unsigned.is_active(on)
    assert set(DataSharingAgreement.objects.active(on)) == {active, due}
    assert set(DataSharingAgreement.objects.due_for_review(on)) == {due}
    assert set(DataSharingAgreement.objects.expired(on)) == {ended}


@time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC), tick=False)
def test_list_filters_and_shows_the_review_reminder(client_for, analyst, partnership):
    AgreementFactory(
        partnership=partnership,
        created_by=analyst,
        title="Due soon",
        review_on=dt.date(2026, 4, 20),
    )
    AgreementFactory(
        partnership=partnership,
        created_by=analyst,
        title="Ended",
        review_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    client = client_for(analyst)
    page = client.get(reverse("sharing:agreement_list")).content.decode()
    assert "due for review within 30 days" in page
    assert "Due soon" in page and "Ended" in page
    expired = client.get(
        reverse("sharing:agreement_list"), {"status": "expired"}
    ).content.decode()
    assert "Ended" in expired
    assert "Due soon</a>" not in expired.split("<table")[1]


def test_create_through_the_form(client_for, analyst, partnership, police, council):
    client = client_for(analyst)
    url = reverse("sharing:agreement_create", args=[partnership.slug])
    assert client.get(url).status_code == 200
    data = {
        "title": "Crime extract",
        "parties": [police.pk, council.pk],
        "providers": [council.pk],
        "purpose": "SNA",
        "legal_gateway": "pcsc_s16",
        "lawful_basis": "gdpr_6_1_e",
        "data_items": "Crime template",
        "datasets": ["police_crime_extract"],
        "discloses_patient_information": "False",
        "personal_information": "True",
        "dpia_outcome": "low_risk",
        "retention_and_deletion": "3 years",
        "security_measures": "MFA",
        "rights_route": "DPO",
        "frequency": "Monthly",
        "starts_on_day": "1",
        "starts_on_month": "4",
        "starts_on_year": "2024",
        "review_on_day": "1",
        "review_on_month": "4",
        "review_on_year": "2025",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "section 16(4)(b)" in refused.content.decode()
    assert "<title>Error:" in refused.content.decode()
    data["legal_gateway"] = "pcsc_s17"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = DataSharingAgreement.objects.get()
    assert agreement.datasets == ["police_crime_extract"]
    assert client.get(response["Location"]).status_code == 200
    edit = client.get(reverse("sharing:agreement_edit", args=[agreement.pk]))
    assert "Crime extract" in edit.content.decode()


def test_s16_needs_the_recipients_duty_functions_as_its_purpose(
    analyst, partnership, police, council
):
    """s.16(1)-(2): disclosure under s.16 is for the recipient's functions under the
    Duty; the action and the database refuse an s.16 agreement that does not say so."""
    with pytest.raises(ValidationError) as error:
        actions.create_agreement(
            by=analyst,
            partnership=partnership,
            parties=[police, council],
            providers=[police],
            **_values(for_duty_functions=False),
        )
    assert "for_duty_functions" in error.value.message_dict
    agreement = actions.create_agreement(
        by=analyst,
        partnership=partnership,
        parties=[police, council],
        providers=[police],
        **_values(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DataSharingAgreement.objects.filter(pk=agreement.pk).update(
            for_duty_functions=False
        )
    # Another gateway does not need it.
    other = actions.create_agreement(
        by=analyst,
        partnership=partnership,
        parties=[police, council],
        providers=[police],
        **_values(
            title="Under s.115", legal_gateway="cda_s115", for_duty_functions=False
        ),
    )
    assert not other.for_duty_functions
