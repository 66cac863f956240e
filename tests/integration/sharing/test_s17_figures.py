"""Section 17 answers supplied as a file (issue 9, build 4: "the authority answers
with the data (through an import or a document)"): under a section 17 agreement,
all or nothing with row and column problems, idempotent, answering the request in
the same transaction, and usable only by the requesting local policing body."""

from __future__ import annotations

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
from svduty.sharing.imports import run_batch
from svduty.sharing.models import (
    BatchStatus,
    ImportBatch,
    InformationRequest,
    LegalGateway,
    S17Figure,
)
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import MemberFactory
from tests.factories.sharing import AgreementFactory

NOW = dt.datetime(2025, 3, 3, 10, tzinfo=dt.UTC)
HEADER = "measure,period_start,period_end,area_code,value,notes\n"
GOOD = HEADER + (
    "Knife crime offences,2024-01-01,2024-12-31,E05000001,12,\n"
    "Knife crime offences,2024-01-01,2024-12-31,E05000002,3,Fewer than 5\n"
    "Weapons possession,01/01/2024,31/12/2024,,40.5,All wards\n"
)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


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
    return make_user(Role.PARTNERSHIP_LEAD, agency=police, full_name="Dee Police")


@pytest.fixture
def s17_agreement(partnership, police, pcc, analyst):
    agreement = AgreementFactory(
        partnership=partnership,
        parties=[police, pcc],
        created_by=analyst,
        title="Figures for the PCC",
        legal_gateway=LegalGateway.PCSC_S17,
        datasets=["s17_figures"],
        personal_information=False,
    )
    agreement.providers.set([police])
    return agreement


@pytest.fixture
def request_(pcc_user, partnership, police):
    return actions.request_information(
        by=pcc_user,
        partnership=partnership,
        authority=police,
        purpose="Monitoring the duty's delivery",
        function="monitor",
        data_requested="Knife crime counts by ward, 2024",
        due_on=dt.date(2025, 3, 31),
    )


def supply(tmp_path, by, request, agreement, text, name="figures.csv"):
    path = tmp_path / name
    path.write_text(text)
    batch = actions.supply_figures(
        by=by, request=request, agreement=agreement, path=path, file_name=name
    )
    if batch.status == BatchStatus.QUEUED:
        batch = run_batch(batch, path)
    return batch


def test_a_clean_file_answers_the_request_with_its_figures(
    tmp_path, police_user, request_, s17_agreement
):
    batch = supply(tmp_path, police_user, request_, s17_agreement, GOOD)
    assert batch.status == BatchStatus.SUCCEEDED, batch.problems
    assert batch.rows_imported == 3
    request_.refresh_from_db()
    assert request_.status == "answered"
    assert request_.answered_by == police_user
    assert "figures.csv (3 figures)" in request_.answer
    figures = S17Figure.objects.filter(batch=batch).order_by("value")
    assert [(f.area_code, f.value) for f in figures] == [
        ("E05000002", 3.0),
        ("E05000001", 12.0),
        (None, 40.5),
    ]
    assert figures.last().period_end == dt.date(2024, 12, 31)
    event = AuditEvent.objects.filter(action="disclosure").latest("pk")
    assert event.detail["figures"] == 3 and event.detail["to"] == "Cleveland PCC"


def test_a_file_with_problems_imports_nothing_and_leaves_the_request_open(
    tmp_path, police_user, request_, s17_agreement
):
    bad = HEADER + (
        "Knife crime offences,2024-01-01,2024-12-31,E05000001,12,\n"
        "Knife crime offences,2024-12-31,2024-01-01,E05000002,-3,\n"
        ",2024-01-01,2024-02-30,,x,\n"
        "Knife crime offences,2024-01-01,2024-12-31,E05000001,9,\n"
    )
    batch = supply(tmp_path, police_user, request_, s17_agreement, bad)
    assert batch.status == BatchStatus.FAILED
    found = {(p["row"], p["column"]) for p in batch.problems}
    assert found == {
        (3, "period_end"),
        (3, "value"),
        (4, "measure"),
        (4, "period_end"),
        (4, "value"),
        (5, "measure"),  # the same measure, period and area as row 2
    }
    assert not S17Figure.objects.exists()
    request_.refresh_from_db()
    assert request_.status == "open"
    # A column outside the template is refused (names cannot slip in).
    batch = supply(
        tmp_path,
        police_user,
        request_,
        s17_agreement,
        "measure,period_start,period_end,area_code,value,notes,name\n"
        "Knife,2024-01-01,2024-12-31,,1,,Jo Bloggs\n",
        name="extra.csv",
    )
    assert batch.status == BatchStatus.FAILED
    assert "name" in batch.message or "name" in str(batch.problems)


def test_the_same_file_twice_is_already_imported(
    tmp_path, police_user, request_, s17_agreement
):
    first = supply(tmp_path, police_user, request_, s17_agreement, GOOD)
    assert first.status == BatchStatus.SUCCEEDED
    with pytest.raises(ValidationError, match="already been answered"):
        supply(tmp_path, police_user, request_, s17_agreement, GOOD)
    assert S17Figure.objects.count() == 3
    # Queued twice before either ran: the second finds the first and changes nothing.
    InformationRequest.objects.filter(pk=request_.pk).update(
        status="open", answered_at=None, answered_by=None, answer=""
    )
    request_.refresh_from_db()
    again = supply(tmp_path, police_user, request_, s17_agreement, GOOD)
    assert again.status == BatchStatus.DUPLICATE and again.duplicate_of == first
    assert S17Figure.objects.count() == 3


def test_only_the_asked_authority_under_a_section_17_agreement(
    tmp_path,
    police_user,
    pcc_user,
    analyst,
    request_,
    s17_agreement,
    partnership,
    police,
    pcc,
):
    with pytest.raises(PermissionDenied, match="Only someone from"):
        supply(tmp_path, pcc_user, request_, s17_agreement, GOOD)
    s16 = AgreementFactory(
        partnership=partnership,
        parties=[police, pcc],
        created_by=analyst,
        datasets=["s17_figures"],
    )
    s16.providers.set([police])
    with pytest.raises(ValidationError, match="does not use section 17"):
        supply(tmp_path, police_user, request_, s16, GOOD)
    s17_agreement.providers.set([pcc])
    with pytest.raises(ValidationError, match="not a provider"):
        supply(tmp_path, police_user, request_, s17_agreement, GOOD)
    s17_agreement.providers.set([police])
    s17_agreement.datasets = ["istv"]
    s17_agreement.save()
    with pytest.raises(ValidationError, match="does not cover"):
        supply(tmp_path, police_user, request_, s17_agreement, GOOD)
    # The database refuses a batch for a request under a non-s.17 agreement, and
    # s.17 figures without a request.
    with pytest.raises(IntegrityError, match="section 17"), transaction.atomic():
        ImportBatch.objects.create(
            partnership=partnership,
            kind="s17_figures",
            file_name="x.csv",
            sha256="0" * 64,
            imported_by=police_user,
            agreement=s16,
            information_request=request_,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportBatch.objects.create(
            partnership=partnership,
            kind="s17_figures",
            file_name="x.csv",
            sha256="0" * 64,
            imported_by=police_user,
        )


def test_the_figures_are_for_the_requesting_body_alone(
    tmp_path, client_for, police_user, pcc_user, analyst, request_, s17_agreement
):
    client = client_for(police_user)
    page = reverse("sharing:s17_figures", args=[request_.pk])
    assert client.get(page).status_code == 200
    # The PCC cannot supply; the council analyst cannot see the request at all.
    assert client_for(pcc_user).get(page).status_code == 404
    assert client_for(analyst).get(page).status_code == 404
    response = client.post(
        page,
        {
            "agreement": s17_agreement.pk,
            "file": SimpleUploadedFile("figures.csv", GOOD.encode()),
        },
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get(information_request=request_)
    assert batch.status == BatchStatus.SUCCEEDED
    # The partnership's analyst does not see the batch, nor the figures.
    assert (
        client_for(analyst).get(reverse("sharing:batch", args=[batch.pk])).status_code
        == 404
    )
    assert not S17Figure.objects.visible_to(analyst).exists()
    assert not S17Figure.objects.visible_to(police_user).exists()
    assert S17Figure.objects.visible_to(pcc_user).count() == 3
    detail = reverse("sharing:s17_detail", args=[request_.pk])
    pcc = client_for(pcc_user)
    text = pcc.get(detail).content.decode()
    assert "Knife crime offences" in text and "Only Cleveland PCC may use it" in text
    assert "Knife crime offences" not in client.get(detail).content.decode()
    csv = reverse("sharing:s17_figures_csv", args=[request_.pk])
    assert client.get(csv).status_code == 404
    body = b"".join(pcc.get(csv)).decode()
    assert "Weapons possession,2024-01-01,2024-12-31,,40.5,All wards" in body
    assert AuditEvent.objects.filter(
        action="export", target_id=str(request_.pk)
    ).exists()
    # The general upload page does not offer s.17 figures.
    upload = client_for(analyst).get(reverse("sharing:upload")).content.decode()
    assert "s17_figures" not in upload


def test_a_file_for_a_request_answered_meanwhile_imports_nothing(
    tmp_path, police_user, request_, s17_agreement
):
    path = tmp_path / "figures.csv"
    path.write_text(GOOD)
    batch = actions.supply_figures(
        by=police_user,
        request=request_,
        agreement=s17_agreement,
        path=path,
        file_name="figures.csv",
    )
    actions.answer_request(by=police_user, request=request_, answer="Typed in.")
    batch = run_batch(batch, path)
    assert batch.status == BatchStatus.FAILED
    assert "answered or refused" in batch.message
    assert not S17Figure.objects.exists()
