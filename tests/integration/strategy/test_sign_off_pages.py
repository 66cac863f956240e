"""The publish checklist from the start (issue 16, item 6), several sign-offs from
one page with the signed document kept, sign-off by a user of the authority, and
withdrawal."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.strategy import actions
from svduty.strategy.models import SignOffEvidence, SignOffMethod
from svduty.strategy.states import StrategyState
from tests.factories.strategy import SIGNED_LETTER, strategy_in_state


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2024, 6, 3, 10, tzinfo=dt.UTC), tick=False):
        yield


def version_url(version):
    return reverse("strategy:version", args=["testborough", version.number])


def test_checklist_is_shown_from_the_draft_and_publish_is_not_offered(
    client_for, lead, partnership
):
    version = strategy_in_state(lead, partnership, StrategyState.DRAFT)
    text = client_for(lead).get(version_url(version)).content.decode()
    assert "Before you can publish" in text
    assert "Agree a local definition of serious violence" in text
    assert reverse("partnership:definition_list", args=["testborough"]) in text
    assert "0 of 2 recorded" in text
    assert text.count("Sign-off by ") == 6
    assert "Publish the strategy</a>" not in text
    assert "Cannot start yet" in text


def test_publish_is_offered_only_when_the_checklist_is_complete(
    client_for, lead, partnership
):
    version = strategy_in_state(lead, partnership, StrategyState.AWAITING_SIGN_OFF)
    client = client_for(lead)
    publish = reverse("strategy:transition", args=["testborough", 1, "publish"])
    assert publish not in client.get(version_url(version)).content.decode()
    signatories = actions.required_signatories(version)
    data = {"signed_on_day": "1", "signed_on_month": "6", "signed_on_year": "2024"}
    for member in signatories:
        data[f"m{member.pk}_signed_by_name"] = f"Head of {member.agency.name}"
        data[f"m{member.pk}_signed_by_role"] = "Chief executive"
    data["document"] = SimpleUploadedFile(
        "minutes.pdf", SIGNED_LETTER, content_type="application/pdf"
    )
    response = client.post(
        reverse("strategy:sign_off_evidence", args=["testborough", 1]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert version.sign_offs.live().count() == 6
    assert SignOffEvidence.objects.count() == 1
    text = client.get(version_url(version)).content.decode()
    assert publish in text
    assert "minutes.pdf" in text


def test_rows_left_blank_are_not_recorded_and_a_half_row_is_an_error(
    client_for, lead, partnership
):
    version = strategy_in_state(lead, partnership, StrategyState.AWAITING_SIGN_OFF)
    first, second, *_ = actions.required_signatories(version)
    url = reverse("strategy:sign_off_evidence", args=["testborough", 1])
    data = {
        "signed_on_day": "1",
        "signed_on_month": "6",
        "signed_on_year": "2024",
        f"m{first.pk}_signed_by_name": "A Person",
        f"m{first.pk}_signed_by_role": "Director",
        f"m{second.pk}_signed_by_name": "B Person",
        "document": SimpleUploadedFile("minutes.pdf", SIGNED_LETTER),
    }
    response = client_for(lead).post(url, data)
    assert response.status_code == 200
    assert f"Enter the role of the person signing off for {second.agency}" in (
        response.content.decode()
    )
    assert not version.sign_offs.exists()


def test_a_user_of_the_authority_signs_off_from_its_page(
    client_for, make_user, lead, partnership
):
    version = strategy_in_state(lead, partnership, StrategyState.AWAITING_SIGN_OFF)
    police = next(
        m
        for m in actions.required_signatories(version)
        if m.agency.agency_type == "police"
    )
    chief = make_user(
        Role.PARTNERSHIP_LEAD, agency=police.agency, full_name="Chief Constable"
    )
    client = client_for(chief)
    page = client.get(version_url(version)).content.decode()
    url = reverse("strategy:sign_off", args=["testborough", 1, police.pk])
    assert url in page
    form = client.get(url).content.decode()
    assert "Chief Constable" in form  # the signed-in user's name, filled in
    response = client.post(
        url,
        {
            "signed_by_name": "Chief Constable",
            "signed_by_role": "Chief officer of police",
            "signed_on_day": "3",
            "signed_on_month": "6",
            "signed_on_year": "2024",
        },
    )
    assert response.status_code == 302
    sign_off = version.sign_offs.get(member=police)
    assert sign_off.method == SignOffMethod.SIGNATORY
    # The lead of another agency sees the refusal on the same page.
    fire = next(
        m
        for m in actions.required_signatories(version)
        if m.agency.agency_type == "fire"
    )
    response = client_for(lead).post(
        reverse("strategy:sign_off", args=["testborough", 1, fire.pk]),
        {
            "signed_by_name": "Pat Lead",
            "signed_by_role": "Lead",
            "signed_on_day": "3",
            "signed_on_month": "6",
            "signed_on_year": "2024",
        },
    )
    assert "Only someone from" in response.content.decode()
    assert not version.sign_offs.filter(member=fire).exists()

    withdraw = reverse(
        "strategy:sign_off_withdraw", args=["testborough", 1, sign_off.pk]
    )
    response = client.post(withdraw, {"reason": "Not the final draft."})
    assert response.status_code == 302
    sign_off.refresh_from_db()
    assert sign_off.withdrawal_reason == "Not the final draft."
    assert "Not the final draft." in client.get(version_url(version)).content.decode()


def test_reading_the_signed_document_is_recorded(client_for, lead, partnership):
    version = strategy_in_state(lead, partnership, StrategyState.PUBLISHED)
    evidence = version.sign_off_evidence.get()
    response = client_for(lead).get(
        reverse("strategy:sign_off_document", args=["testborough", 1, evidence.pk])
    )
    assert response.status_code == 200
    assert response.content == SIGNED_LETTER
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(
        action="view", target_type="strategy.signoffevidence"
    ).exists()


def test_compliance_report_names_the_digest_definition_and_records(
    client_for, lead, partnership
):
    version = strategy_in_state(lead, partnership, StrategyState.PUBLISHED)
    text = (
        client_for(lead)
        .get(reverse("strategy:compliance_report", args=["testborough"]))
        .content.decode()
    )
    assert version.published_digest in text
    assert "Local definition version 1" in text
    assert "Signed evidence uploaded by the partnership lead" in text
    assert text.count("Consulted ") >= 2
