"""Section 17 requests (issue 9, build 4): only a local policing body asks, only a
specified, educational, prison or youth custody authority is asked; the authority
answers or refuses with a reason; late answers are listed as late; what is supplied
is for the requesting body only."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from svduty.accounts.models import AgencyType
from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.sharing import actions_s17 as actions
from svduty.sharing.models import InformationRequest
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import MemberFactory

ASKED_ON = dt.datetime(2025, 3, 3, 10, tzinfo=dt.UTC)


@pytest.fixture
def pcc(partnership):
    agency = AgencyFactory(
        name="Cleveland PCC", agency_type=AgencyType.LOCAL_POLICING_BODY
    )
    MemberFactory(
        partnership=partnership, agency=agency, statutory_role="local_policing_body"
    )
    return agency


@pytest.fixture
def pcc_user(make_user, pcc):
    return make_user(Role.ANALYST, agency=pcc, full_name="Pat PCC")


@pytest.fixture
def police_user(make_user, police):
    police.agency_type = AgencyType.POLICE
    police.save()
    return make_user(Role.ANALYST, agency=police, full_name="Dee Police")


def ask(by, partnership, authority, due_on=dt.date(2025, 3, 31)):
    return actions.request_information(
        by=by,
        partnership=partnership,
        authority=authority,
        purpose="Monitoring the duty's delivery",
        function="monitor",
        data_requested="Knife crime counts by ward, 2024",
        due_on=due_on,
    )


@time_machine.travel(ASKED_ON, tick=False)
def test_only_a_local_policing_body_asks(analyst, pcc_user, partnership, police):
    with pytest.raises(PermissionDenied, match="local policing body"):
        ask(analyst, partnership, police)  # a council analyst
    request = ask(pcc_user, partnership, police)
    assert request.requesting_body.name == "Cleveland PCC"
    # A voluntary organisation is not an authority s.17 reaches.
    charity = AgencyFactory(agency_type=AgencyType.VOLUNTARY)
    MemberFactory(partnership=partnership, agency=charity, statutory_role="voluntary")
    with pytest.raises(ValidationError) as error:
        ask(pcc_user, partnership, charity)
    assert "authority" in error.value.message_dict
    # The database refuses a request that does not come from a local policing body.
    with pytest.raises(IntegrityError, match="section 17"), transaction.atomic():
        InformationRequest.objects.filter(pk=request.pk).update(requesting_body=police)


def test_an_answer_after_the_due_date_is_listed_as_late(
    client_for, pcc_user, police_user, partnership, police
):
    with time_machine.travel(ASKED_ON, tick=False):
        request = ask(pcc_user, partnership, police, due_on=dt.date(2025, 3, 31))
        assert not request.is_late()
    # On the due date (UK time) it is not late yet.
    with time_machine.travel(dt.datetime(2025, 3, 31, 22, 30, tzinfo=dt.UTC)):
        assert not request.is_late()
        page = client_for(pcc_user).get(reverse("sharing:s17_list")).content.decode()
        assert "Overdue" not in page
    # 31 March 23:30 UTC is already 1 April in London (BST): overdue.
    with time_machine.travel(dt.datetime(2025, 3, 31, 23, 30, tzinfo=dt.UTC)):
        assert request.is_late()
        page = client_for(pcc_user).get(reverse("sharing:s17_list")).content.decode()
        assert "Overdue" in page
    with time_machine.travel(dt.datetime(2025, 4, 2, 9, tzinfo=dt.UTC)):
        answered = actions.answer_request(
            by=police_user,
            request=request,
            answer="Ward counts attached.",
            document_name="counts.csv",
            document=b"ward,count\nA,3\n",
        )
        assert answered.is_late()
        page = client_for(pcc_user).get(reverse("sharing:s17_list")).content.decode()
        assert "Late" in page and "Answered" in page
    event = AuditEvent.objects.filter(action="disclosure").latest("pk")
    assert event.detail["late"] is True


@time_machine.travel(ASKED_ON, tick=False)
def test_only_the_asked_authority_answers_and_the_body_alone_uses_it(
    client_for, pcc_user, police_user, analyst, partnership, police
):
    request = ask(pcc_user, partnership, police)
    with pytest.raises(PermissionDenied, match="Only someone from"):
        actions.answer_request(by=analyst, request=request, answer="x")
    client = client_for(police_user)
    url = reverse("sharing:s17_detail", args=[request.pk])
    assert "Answer the request" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "outcome": "answer",
            "answer": "",
            "document": SimpleUploadedFile("counts.csv", b"ward,count\nA,3\n"),
        },
    )
    assert response.status_code == 302
    document = reverse("sharing:s17_document", args=[request.pk])
    # The police supplied it, but only the PCC may use it.
    assert client.get(document).status_code == 404
    pcc = client_for(pcc_user)
    page = pcc.get(url).content.decode()
    assert "Only Cleveland PCC may use it" in page
    response = pcc.get(document)
    assert response.status_code == 200
    assert b"".join(response) == b"ward,count\nA,3\n"
    # The council analyst is neither party: not found.
    assert client_for(analyst).get(url).status_code == 404


@time_machine.travel(ASKED_ON, tick=False)
def test_a_refusal_needs_a_reason(pcc_user, police_user, partnership, police):
    request = ask(pcc_user, partnership, police)
    with pytest.raises(ValidationError) as error:
        actions.refuse_request(by=police_user, request=request, reason="", detail="")
    assert set(error.value.message_dict) == {"reason", "detail"}
    refused = actions.refuse_request(
        by=police_user,
        request=request,
        reason="investigatory_powers",
        detail="The data comes from interception and cannot be disclosed.",
    )
    assert refused.status == "refused" and not refused.is_late()
    with pytest.raises(ValidationError, match="already been answered"):
        actions.answer_request(by=police_user, request=request, answer="x")
