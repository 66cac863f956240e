"""A party withdraws from a data sharing agreement (issue 9, build 3): the agreement
ends, nothing more is imported under it, the files shared under it stop being used
(the snapshot's current batches leave them out), and the recipients are told."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.sharing import actions
from svduty.sharing.imports import run_import
from svduty.sharing.models import (
    AgreementStatus,
    BatchStatus,
    DataSharingAgreement,
    ImportBatch,
)
from tests.factories.sharing import AgreementFactory

from .test_corrections import _istv


@pytest.fixture
def shared(partnership, police, council, analyst):
    agreement = AgreementFactory(
        partnership=partnership,
        parties=[police, council],
        created_by=analyst,
        title="ED assaults",
    )
    agreement.providers.set([police])
    return agreement


def test_withdrawing_stops_the_use_and_tells_the_recipients(
    analyst,
    partnership,
    shared,
    council,
    police,
    make_user,
    client_for,
    tmp_path,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    colleague = make_user(Role.ANALYST, agency=council, email="colleague@example.org")
    provider = make_user(
        Role.PARTNERSHIP_LEAD, agency=police, email="provider@example.org"
    )
    analyst.email = "importer@example.org"
    analyst.save()
    batch = run_import(
        by=analyst,
        partnership=partnership,
        kind="istv",
        path=_istv(tmp_path / "a.csv", ["body_part"]),
        agreement=shared,
    )
    assert batch.status == BatchStatus.SUCCEEDED, batch.problems
    assert ImportBatch.objects.current().filter(pk=batch.pk).exists()
    client = client_for(provider)
    url = reverse("sharing:agreement_withdraw", args=[shared.pk])
    detail = client.get(reverse("sharing:agreement_detail", args=[shared.pk]))
    assert url in detail.content.decode()
    response = client.post(
        url, {"agency": police.pk, "reason": "", "version": shared.version}
    )
    assert "Enter why the agreement is being withdrawn" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "agency": police.pk,
                "reason": "The force's DPO found the DPIA out of date.",
                "version": shared.version,
            },
        )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.status() == AgreementStatus.WITHDRAWN
    assert shared.withdrawn_for == police and shared.ends_on is not None
    batch.refresh_from_db()
    assert batch.withdrawn_at is not None
    # The analysis's current batches leave it out from now on.
    assert not ImportBatch.objects.current().filter(pk=batch.pk).exists()
    # The recipients (the other party's analysts) and the importer are told; the
    # person withdrawing is not.
    sent = [m for m in mailoutbox if "withdrawn" in m.subject]
    assert sorted(sent[0].to) == ["colleague@example.org", "importer@example.org"]
    assert "no longer used" in sent[0].body and colleague.email in sent[0].to
    event = AuditEvent.objects.filter(action="change").latest("pk")
    assert event.detail["batches_withdrawn"] == 1 and event.detail["told"] == 2
    # Nothing more can be imported under it.
    with pytest.raises(ValidationError, match="was withdrawn"):
        run_import(
            by=analyst,
            partnership=partnership,
            kind="istv",
            path=_istv(tmp_path / "b.csv", ["knife_or_sharp_object"]),
            agreement=shared,
        )
    page = client.get(reverse("sharing:agreement_detail", args=[shared.pk]))
    assert "withdrew from this agreement" in page.content.decode()


def test_only_a_party_withdraws_it_with_a_reason(analyst, shared, police, council):
    with pytest.raises(ValidationError) as error:
        actions.withdraw_agreement(
            by=analyst,
            agreement=shared,
            version=shared.version,
            agency=police,
            reason="Not mine to withdraw",
        )
    assert "agency" in error.value.message_dict  # the analyst is the council's
    with pytest.raises(ValidationError) as error:
        actions.withdraw_agreement(
            by=analyst,
            agreement=shared,
            version=shared.version,
            agency=council,
            reason="",
        )
    assert "reason" in error.value.message_dict
    done = actions.withdraw_agreement(
        by=analyst,
        agreement=shared,
        version=shared.version,
        agency=council,
        reason="The council no longer needs the data.",
    )
    with pytest.raises(ValidationError, match="already been withdrawn"):
        actions.withdraw_agreement(
            by=analyst,
            agreement=done,
            version=done.version,
            agency=council,
            reason="Again and again",
        )
    # The database keeps a withdrawal whole.
    with pytest.raises(IntegrityError), transaction.atomic():
        DataSharingAgreement.objects.filter(pk=done.pk).update(withdrawal_reason="")
