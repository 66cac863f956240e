"""Sign-off bound to the content (issue 9, build 2): who may sign for an authority,
the digest each sign-off records, voiding on change, withdrawal, and publication
refused in the action and by the database unless every sign-off matches."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InternalError, transaction
from django.urls import reverse

from svduty.core.authorisation import Role
from svduty.partnership import actions as partnership_actions
from svduty.strategy import actions
from svduty.strategy.digest import content_digest
from svduty.strategy.models import (
    SignOff,
    SignOffEvidence,
    SignOffMethod,
    StrategySection,
    StrategyVersion,
)
from svduty.strategy.states import StrategyState, Transition
from tests.factories.partnership import DefinitionFactory, KindFactory, RuleFactory
from tests.factories.strategy import (
    SIGNED_LETTER,
    sign_off_everyone,
    strategy_in_state,
)

TODAY = dt.datetime(2024, 6, 3, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def awaiting(lead, partnership):
    return strategy_in_state(lead, partnership, StrategyState.AWAITING_SIGN_OFF)


@pytest.fixture
def police_member(partnership):
    return next(
        m
        for m in partnership.members.select_related("agency")
        if m.agency.agency_type == "police"
    )


@pytest.fixture
def police_signatory(make_user, police_member):
    return make_user(
        Role.PARTNERSHIP_LEAD,
        agency=police_member.agency,
        full_name="Chief Constable",
        email="chief@police.example",
    )


def publish(by, version):
    return actions.transition(
        by=by, strategy_version=version, transition=Transition.PUBLISH
    )


def test_a_user_of_another_agency_cannot_sign_off_for_it(lead, awaiting, police_member):
    with pytest.raises(ValidationError, match="Only someone from"):
        actions.record_sign_off(
            by=lead,
            strategy_version=awaiting,
            member=police_member,
            signed_by_name="Pat Lead",
            signed_by_role="Lead",
            signed_on=dt.date(2024, 6, 3),
        )
    assert not SignOff.objects.exists()


def test_a_user_of_the_agency_signs_off_and_the_record_says_so(
    awaiting, police_member, police_signatory
):
    sign_off = actions.record_sign_off(
        by=police_signatory,
        strategy_version=awaiting,
        member=police_member,
        signed_by_name="Chief Constable",
        signed_by_role="Chief officer of police",
        signed_on=dt.date(2024, 6, 3),
    )
    assert sign_off.method == SignOffMethod.SIGNATORY
    assert sign_off.signatory == police_signatory
    assert sign_off.evidence is None
    assert sign_off.definition.number == 1
    assert sign_off.content_digest == content_digest(awaiting, sign_off.definition.pk)


def test_someone_without_the_sign_off_permission_cannot_sign(
    make_user, awaiting, police_member
):
    analyst = make_user(Role.ANALYST, agency=police_member.agency)
    with pytest.raises(PermissionDenied):
        actions.record_sign_off(
            by=analyst,
            strategy_version=awaiting,
            member=police_member,
            signed_by_name="A",
            signed_by_role="B",
            signed_on=dt.date(2024, 6, 3),
        )


def test_evidence_keeps_the_document_and_names_each_signatory(lead, awaiting):
    sign_off_everyone(lead, awaiting)
    evidence = SignOffEvidence.objects.get()
    assert bytes(evidence.content) == SIGNED_LETTER
    assert evidence.file_name == "signed-minutes.pdf"
    sign_offs = list(awaiting.sign_offs.all())
    assert len(sign_offs) == 6
    assert {s.method for s in sign_offs} == {SignOffMethod.EVIDENCE}
    assert all(s.evidence == evidence and s.signed_by_name for s in sign_offs)


def test_evidence_must_be_a_document(lead, awaiting, police_member):
    with pytest.raises(ValidationError) as error:
        actions.record_sign_offs_with_evidence(
            by=lead,
            strategy_version=awaiting,
            signatories=[actions.Signatory(member=police_member, name="", role="")],
            signed_on=dt.date(2024, 6, 3),
            file_name="minutes.exe",
            content=b"MZ",
        )
    assert set(error.value.message_dict) == {
        f"m{police_member.pk}_signed_by_name",
        f"m{police_member.pk}_signed_by_role",
        "document",
    }


def test_a_change_after_sign_off_voids_them_and_publication_waits_for_new_ones(
    client, lead, awaiting, django_capture_on_commit_callbacks
):
    sign_off_everyone(lead, awaiting)
    section = awaiting.sections.first()
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_section(
            by=lead,
            strategy_version=awaiting,
            section=section,
            kind=section.kind,
            heading=section.heading,
            body="CHANGED AFTER SIGN-OFF",
            publishable=True,
        )
    # Kept in the history, marked superseded, and the person who recorded them told.
    assert awaiting.sign_offs.count() == 6
    assert not awaiting.sign_offs.live().exists()
    assert all("changed" in s.superseded_reason for s in awaiting.sign_offs.all())
    assert len(mail.outbox) == 1
    assert "Sign-off needed again" in mail.outbox[0].subject
    with pytest.raises(ValidationError, match="must sign off this content"):
        publish(lead, awaiting)

    sign_off_everyone(lead, awaiting, on=dt.date(2024, 6, 3))
    version = publish(lead, awaiting)
    assert version.published_digest == content_digest(version, version.definition_id)
    page = client.get(reverse("public_strategy:detail", args=["testborough"]))
    assert version.published_digest in page.content.decode()
    assert "CHANGED AFTER SIGN-OFF" in page.content.decode()


def test_changing_the_title_also_voids_sign_offs(lead, awaiting):
    sign_off_everyone(lead, awaiting)
    actions.update_strategy(
        by=lead,
        strategy_version=awaiting,
        expected_version=None,
        title="A different title",
        period_start=awaiting.period_start,
        period_end=awaiting.period_end,
    )
    assert not awaiting.sign_offs.live().exists()


def test_a_new_definition_voids_sign_offs(lead, partnership, awaiting):
    sign_off_everyone(lead, awaiting)
    draft = DefinitionFactory(
        partnership=partnership, number=2, status="draft", agreed_on=None
    )
    RuleFactory(kind=KindFactory(definition=draft))
    partnership_actions.agree_definition(
        by=lead, definition=draft, agreed_on=dt.date(2024, 6, 2), agreed_by="Board"
    )
    assert not awaiting.sign_offs.live().exists()
    with pytest.raises(ValidationError, match="must sign off this content"):
        publish(lead, awaiting)


def test_withdrawal_needs_a_reason_and_blocks_publication(
    lead, awaiting, police_member, police_signatory
):
    sign_off_everyone(lead, awaiting)
    police_sign_off = awaiting.sign_offs.get(member=police_member)
    with pytest.raises(ValidationError):
        actions.withdraw_sign_off(
            by=police_signatory, sign_off=police_sign_off, reason=""
        )
    actions.withdraw_sign_off(
        by=police_signatory,
        sign_off=police_sign_off,
        reason="The chief constable has not seen the final draft.",
    )
    police_sign_off.refresh_from_db()
    assert not police_sign_off.is_live
    assert police_sign_off.withdrawn_by == police_signatory
    with pytest.raises(ValidationError, match=police_member.agency.name):
        publish(lead, awaiting)


def test_a_sign_off_cannot_be_withdrawn_after_publication(lead, partnership):
    version = strategy_in_state(lead, partnership, StrategyState.PUBLISHED)
    with pytest.raises(ValidationError, match="before the strategy is published"):
        actions.withdraw_sign_off(
            by=lead, sign_off=version.sign_offs.first(), reason="Too late."
        )


def test_another_agency_cannot_withdraw_a_sign_off_it_did_not_give(
    make_user, awaiting, police_member, police_signatory, council
):
    sign_off = actions.record_sign_off(
        by=police_signatory,
        strategy_version=awaiting,
        member=police_member,
        signed_by_name="Chief Constable",
        signed_by_role="Chief officer",
        signed_on=dt.date(2024, 6, 3),
    )
    other = make_user(Role.PARTNERSHIP_LEAD, agency=council)
    with pytest.raises(PermissionDenied):
        actions.withdraw_sign_off(by=other, sign_off=sign_off, reason="Not ours.")


# --- The database refuses what the action refuses


def _publish_directly(version: StrategyVersion, digest: str) -> None:
    StrategyVersion.objects.filter(pk=version.pk).update(
        state=StrategyState.PUBLISHED,
        published_on=dt.date(2024, 6, 3),
        definition=version.partnership.definitions.get(),
        published_digest=digest,
    )


def test_database_refuses_publication_of_content_changed_behind_the_action(
    lead, awaiting
):
    sign_off_everyone(lead, awaiting)
    signed = awaiting.sign_offs.first().content_digest
    # A change that bypasses the action (and so the voiding).
    StrategySection.objects.filter(strategy_version=awaiting).update(body="CHANGED")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        _publish_directly(awaiting, signed)
    awaiting.refresh_from_db()
    current = content_digest(awaiting, awaiting.partnership.definitions.get().pk)
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        _publish_directly(awaiting, current)


def test_database_refuses_publication_with_a_missing_sign_off(lead, awaiting):
    sign_off_everyone(lead, awaiting)
    digest = awaiting.sign_offs.first().content_digest
    awaiting.sign_offs.first().delete()
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        _publish_directly(awaiting, digest)


def test_database_accepts_publication_that_matches_every_sign_off(lead, awaiting):
    StrategySection.objects.create(
        strategy_version=awaiting,
        kind="other",
        heading="Ünïcode – “quotes”",
        body="Line one\nLine two\ttab ∑ 😀",
        order=9,
    )
    sign_off_everyone(lead, awaiting)
    _publish_directly(awaiting, awaiting.sign_offs.first().content_digest)
    awaiting.refresh_from_db()
    assert awaiting.is_published


def test_database_refuses_a_sign_off_that_does_not_say_how_it_was_given(
    lead, awaiting, police_member
):
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOff.objects.create(
            strategy_version=awaiting,
            member=police_member,
            method=SignOffMethod.SIGNATORY,
            signed_by_name="X",
            signed_by_role="Y",
            signed_on=dt.date(2024, 6, 3),
            content_digest="0" * 64,
            definition=awaiting.partnership.definitions.get(),
            recorded_by=lead,
        )
