"""The strategy lifecycle through the actions: every allowed transition with its rule,
every forbidden one refused, exactly one audit event per action, and published versions
immutable in the action and in the database."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InternalError, transaction

from svduty.audit.models import AuditEvent
from svduty.strategy import actions
from svduty.strategy.models import (
    ReviewOutcome,
    SectionKind,
    StrategySection,
    StrategyVersion,
)
from svduty.strategy.states import EDGES, StrategyState, Transition
from tests.factories.partnership import (
    LocalAreaFactory,
    RelevantAuthorityFactory,
    formed_partnership,
)
from tests.factories.strategy import (
    SIGNED_LETTER,
    consult_everyone,
    sign_off_everyone,
    strategy_in_state,
)

S, T = StrategyState, Transition
TODAY = dt.datetime(2024, 6, 3, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def events():
    return AuditEvent.objects.count()


def move(by, version, transition, **kwargs):
    return actions.transition(
        by=by, strategy_version=version, transition=transition, **kwargs
    )


REVIEW_TEXT = {"decisions": "Priorities still right.", "changes": "New priority."}


@pytest.mark.parametrize("state", list(StrategyState))
def test_forbidden_transitions_are_refused_by_the_action(lead, partnership, state):
    version = strategy_in_state(lead, partnership, state)
    allowed = {e.transition for e in EDGES if e.source == state}
    for transition in set(Transition) - allowed:
        before = events()
        with pytest.raises(ValidationError, match="cannot"):
            move(lead, version, transition, **REVIEW_TEXT)
        version.refresh_from_db()
        assert version.state == state
        assert events() == before


def test_draft_to_consultation_needs_a_section(lead, partnership):
    version = actions.start_strategy(
        by=lead,
        partnership=partnership,
        title="Strategy",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2027, 1, 1),
    )
    with pytest.raises(ValidationError, match="Add at least one section"):
        move(lead, version, T.START_CONSULTATION)
    actions.save_section(
        by=lead,
        strategy_version=version,
        kind=SectionKind.PRIORITIES,
        heading="Priorities",
        body="Knife crime.",
        publishable=True,
    )
    before = events()
    version = move(lead, version, T.START_CONSULTATION)
    assert version.state == S.CONSULTATION
    assert events() == before + 1


def test_consultation_cannot_close_until_every_relevant_authority_is_covered(
    lead, second_lead, partnership
):
    version = strategy_in_state(lead, partnership, S.CONSULTATION)
    school, prison = actions.required_consultees(version)
    with pytest.raises(ValidationError, match="Missing: .*Academy.*Prison"):
        move(lead, version, T.CLOSE_CONSULTATION)
    actions.record_consultation(
        by=lead,
        strategy_version=version,
        authority=school,
        consulted_on=dt.date(2024, 5, 1),
        method="meeting",
        consulted_person="Head teacher",
        response="Agrees",
        how_considered="Noted",
    )
    with pytest.raises(ValidationError, match="Missing: .*Prison"):
        move(lead, version, T.CLOSE_CONSULTATION)
    reason = actions.record_consultation_exception(
        by=lead,
        strategy_version=version,
        authority=prison,
        reason="The prison closed in April 2024; no successor has been named yet.",
    )
    # A reason stands only once a second person approves it.
    with pytest.raises(ValidationError, match="Missing: .*Prison"):
        move(lead, version, T.CLOSE_CONSULTATION)
    with pytest.raises(PermissionDenied, match="Someone other than"):
        actions.approve_consultation_exception(by=lead, consultation=reason)
    actions.approve_consultation_exception(by=second_lead, consultation=reason)
    version = move(lead, version, T.CLOSE_CONSULTATION)
    assert version.state == S.AWAITING_SIGN_OFF


def test_an_unconsulted_registered_school_that_is_not_a_member_blocks_closing(
    lead, partnership
):
    version = strategy_in_state(lead, partnership, S.CONSULTATION)
    consult_everyone(lead, version)
    RelevantAuthorityFactory(
        area=partnership.areas.get(), name="St Hild's School", identifier="111753"
    )
    with pytest.raises(ValidationError, match="Missing: St Hild's School"):
        move(lead, version, T.CLOSE_CONSULTATION)
    # One record for it, and consultation may close.
    consult_everyone(lead, version)
    assert move(lead, version, T.CLOSE_CONSULTATION).state == S.AWAITING_SIGN_OFF


def test_an_empty_register_for_an_area_blocks_with_the_message(lead, partnership):
    hartlepool = LocalAreaFactory(ons_code="E06000001", name="Hartlepool")
    partnership.areas.add(hartlepool)
    version = strategy_in_state(lead, partnership, S.CONSULTATION)
    consult_everyone(lead, version)
    with pytest.raises(ValidationError) as error:
        move(lead, version, T.CLOSE_CONSULTATION)
    assert (
        "No educational authority is registered for Hartlepool: the duty to "
        "consult cannot be shown"
    ) in error.value.messages
    # A closed school does not count either; an open one does.
    closed = RelevantAuthorityFactory(
        area=hartlepool, name="Old School", closed_on=dt.date(2023, 7, 1)
    )
    with pytest.raises(ValidationError, match="Hartlepool"):
        move(lead, version, T.CLOSE_CONSULTATION)
    closed.closed_on = None
    closed.save()
    consult_everyone(lead, version)
    assert move(lead, version, T.CLOSE_CONSULTATION).state == S.AWAITING_SIGN_OFF


def test_the_database_refuses_closing_consultation_with_a_gap(lead, partnership):
    version = strategy_in_state(lead, partnership, S.CONSULTATION)
    with (
        pytest.raises(IntegrityError, match="no consultation record"),
        transaction.atomic(),
    ):
        StrategyVersion.objects.filter(pk=version.pk).update(state=S.AWAITING_SIGN_OFF)


def test_an_exception_needs_a_real_reason(lead, partnership):
    version = strategy_in_state(lead, partnership, S.CONSULTATION)
    authority = actions.required_consultees(version)[0]
    with pytest.raises(ValidationError) as error:
        actions.record_consultation_exception(
            by=lead, strategy_version=version, authority=authority, reason="n/a"
        )
    assert "exception_reason" in error.value.message_dict


def test_consultation_record_needs_every_detail(lead, partnership):
    version = strategy_in_state(lead, partnership, S.CONSULTATION)
    authority = actions.required_consultees(version)[0]
    with pytest.raises(ValidationError) as error:
        actions.record_consultation(
            by=lead,
            strategy_version=version,
            authority=authority,
            consulted_on=None,
            method="",
            consulted_person="",
            response="",
            how_considered="",
        )
    assert set(error.value.message_dict) == {
        "consulted_on",
        "method",
        "consulted_person",
        "response",
        "how_considered",
    }


def test_only_authorities_of_the_partnerships_areas_are_consulted(lead, partnership):
    version = strategy_in_state(lead, partnership, S.CONSULTATION)
    elsewhere = RelevantAuthorityFactory(name="School elsewhere")
    with pytest.raises(ValidationError, match="Only educational"):
        actions.record_consultation_exception(
            by=lead, strategy_version=version, authority=elsewhere, reason="x" * 30
        )


def test_publish_needs_every_specified_authority_to_sign_off(lead, partnership):
    version = strategy_in_state(lead, partnership, S.AWAITING_SIGN_OFF)
    signatories = actions.required_signatories(version)
    assert len(signatories) == 6
    evidence = dict(
        by=lead,
        strategy_version=version,
        signed_on=dt.date(2024, 6, 1),
        file_name="letters.pdf",
        content=SIGNED_LETTER,
    )
    actions.record_sign_offs_with_evidence(
        **evidence,
        signatories=[
            actions.Signatory(member=m, name="A Person", role="Director")
            for m in signatories[:-1]
        ],
    )
    with pytest.raises(ValidationError, match=signatories[-1].agency.name):
        move(lead, version, T.PUBLISH)
    actions.record_sign_offs_with_evidence(
        **evidence,
        signatories=[
            actions.Signatory(
                member=signatories[-1], name="Last Person", role="Chief executive"
            )
        ],
    )
    before = events()
    version = move(lead, version, T.PUBLISH)
    assert version.state == S.PUBLISHED
    assert version.published_on == dt.date(2024, 6, 3)
    assert version.definition is not None
    assert len(version.published_digest) == 64
    assert events() == before + 1
    assert AuditEvent.objects.first().action == "publish"


def test_sign_off_cannot_be_in_the_future_or_twice(lead, partnership, council):
    version = strategy_in_state(lead, partnership, S.AWAITING_SIGN_OFF)
    member = partnership.members.get(agency=council)
    kwargs = dict(
        by=lead,
        strategy_version=version,
        member=member,
        signed_by_name="A Person",
        signed_by_role="Director",
    )
    with pytest.raises(ValidationError, match="today or in the past"):
        actions.record_sign_off(**kwargs, signed_on=dt.date(2024, 6, 4))
    actions.record_sign_off(**kwargs, signed_on=dt.date(2024, 6, 3))
    with pytest.raises(ValidationError, match="already signed off"):
        actions.record_sign_off(**kwargs, signed_on=dt.date(2024, 6, 3))


def test_publish_needs_a_definition_in_force(lead, council):
    # An agreed definition cannot be deleted (partnership 0006): use a partnership
    # that never agreed one.
    partnership = formed_partnership(lead_agency=council, slug="undefined")
    version = strategy_in_state(lead, partnership, S.AWAITING_SIGN_OFF)
    # A sign-off binds the definition too, so none can be given without one.
    with pytest.raises(ValidationError, match="local definition"):
        sign_off_everyone(lead, version)
    with pytest.raises(ValidationError, match="local definition"):
        move(lead, version, T.PUBLISH)


def test_review_then_reconfirm_sets_a_new_review_date(lead, partnership):
    version = strategy_in_state(lead, partnership, S.PUBLISHED)
    version = move(lead, version, T.START_REVIEW)
    assert version.state == S.UNDER_REVIEW
    with pytest.raises(ValidationError) as error:
        move(lead, version, T.RECONFIRM, decisions="")
    assert "decisions" in error.value.message_dict
    before = events()
    version = move(lead, version, T.RECONFIRM, decisions="Still the right priorities.")
    assert version.state == S.PUBLISHED
    assert version.last_reviewed_on == dt.date(2024, 6, 3)
    review = version.reviews.get()
    assert review.outcome == ReviewOutcome.RECONFIRMED
    assert events() == before + 1


def test_revise_creates_a_new_draft_with_the_content(lead, partnership):
    version = strategy_in_state(lead, partnership, S.UNDER_REVIEW)
    with pytest.raises(ValidationError) as error:
        move(lead, version, T.REVISE, decisions="Change needed", changes="")
    assert "changes" in error.value.message_dict
    before = events()
    draft = move(lead, version, T.REVISE, **REVIEW_TEXT)
    version.refresh_from_db()
    assert version.state == S.REVISED
    assert draft.state == S.DRAFT and draft.number == 2
    assert [s.heading for s in draft.sections.all()] == [
        s.heading for s in version.sections.all()
    ]
    assert events() == before + 1
    assert AuditEvent.objects.first().detail["new_version"] == 2


def test_only_one_version_in_progress_at_a_time(lead, partnership):
    strategy_in_state(lead, partnership, S.DRAFT)
    with pytest.raises(ValidationError, match="already has a strategy"):
        actions.start_strategy(
            by=lead,
            partnership=partnership,
            title="Another",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2025, 1, 1),
        )


def test_the_strategy_period_must_end_after_it_starts(lead, partnership):
    with pytest.raises(ValidationError) as error:
        actions.start_strategy(
            by=lead,
            partnership=partnership,
            title="Strategy",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 1, 1),
        )
    assert "period_end" in error.value.message_dict


# --- Immutability


@pytest.fixture
def published(lead, partnership):
    return strategy_in_state(lead, partnership, S.PUBLISHED)


def test_the_action_refuses_to_change_a_published_version(lead, published):
    with pytest.raises(ValidationError, match="cannot be changed"):
        actions.update_strategy(
            by=lead,
            strategy_version=published,
            expected_version=published.version,
            title="Rewritten",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2028, 1, 1),
        )
    section = published.sections.first()
    with pytest.raises(ValidationError, match="cannot be changed"):
        actions.save_section(
            by=lead,
            strategy_version=published,
            section=section,
            kind=section.kind,
            heading="Rewritten",
            body="Rewritten",
            publishable=True,
        )
    with pytest.raises(ValidationError, match="cannot be changed"):
        actions.remove_section(by=lead, section=section)


DB_REFUSED = (InternalError, IntegrityError)


def test_the_database_refuses_to_change_a_published_version(published):
    published.title = "Rewritten behind the action's back"
    with pytest.raises(DB_REFUSED, match="cannot be changed"), transaction.atomic():
        published.save()
    with pytest.raises(DB_REFUSED), transaction.atomic():
        StrategyVersion.objects.filter(pk=published.pk).update(
            published_on=dt.date(2020, 1, 1)
        )
    with pytest.raises(DB_REFUSED), transaction.atomic():
        StrategyVersion.objects.filter(pk=published.pk).update(state=S.DRAFT)
    with pytest.raises(DB_REFUSED), transaction.atomic():
        StrategyVersion.objects.filter(pk=published.pk).delete()
    published.refresh_from_db()
    assert published.title == "Serious violence strategy 2024 to 2027"


def test_the_database_refuses_to_change_published_content(published):
    with pytest.raises(DB_REFUSED), transaction.atomic():
        StrategySection.objects.filter(strategy_version=published).update(body="x")
    with pytest.raises(DB_REFUSED), transaction.atomic():
        StrategySection.objects.create(
            strategy_version=published, kind="other", heading="Sneaked in", body="x"
        )
    with pytest.raises(DB_REFUSED), transaction.atomic():
        published.sign_offs.update(signed_by_name="Someone else")
    with pytest.raises(DB_REFUSED), transaction.atomic():
        published.consultations.all().delete()


def test_the_database_still_allows_review_of_a_published_version(lead, published):
    StrategyVersion.objects.filter(pk=published.pk).update(
        state=S.UNDER_REVIEW, last_reviewed_on=dt.date(2024, 6, 1)
    )


# --- Scope, permissions and locking


def test_someone_outside_the_partnership_cannot_move_it(outsider, lead, partnership):
    version = strategy_in_state(lead, partnership, S.DRAFT)
    with pytest.raises(PermissionDenied):
        move(outsider, version, T.START_CONSULTATION)


def test_an_analyst_cannot_sign_off_or_publish(analyst, lead, partnership):
    version = strategy_in_state(lead, partnership, S.AWAITING_SIGN_OFF)
    with pytest.raises(PermissionDenied):
        sign_off_everyone(analyst, version)
    with pytest.raises(PermissionDenied):
        move(analyst, version, T.PUBLISH)


def test_a_stale_form_is_refused(lead, partnership):
    version = strategy_in_state(lead, partnership, S.DRAFT)
    opened = version.version
    actions.update_strategy(
        by=lead,
        strategy_version=version,
        expected_version=opened,
        title="First editor",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2027, 1, 1),
    )
    with pytest.raises(ValidationError, match="changed this record since you opened"):
        actions.update_strategy(
            by=lead,
            strategy_version=version,
            expected_version=opened,
            title="Second editor",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2027, 1, 1),
        )
    version.refresh_from_db()
    assert version.title == "First editor"


def test_every_change_records_exactly_one_event(lead, partnership):
    before = events()
    version = actions.start_strategy(
        by=lead,
        partnership=partnership,
        title="Strategy",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2027, 1, 1),
    )
    assert events() == before + 1
    section = actions.save_section(
        by=lead,
        strategy_version=version,
        kind=SectionKind.PRIORITIES,
        heading="Priorities",
        body="Knife crime",
        publishable=True,
    )
    assert events() == before + 2
    actions.save_section(
        by=lead,
        strategy_version=version,
        section=section,
        expected_version=section.version,
        kind=SectionKind.PRIORITIES,
        heading="Priorities",
        body="Knife crime and robbery",
        publishable=False,
    )
    assert events() == before + 3
    latest = AuditEvent.objects.first()
    assert latest.action == "change" and latest.actor_id == lead.pk
