"""Factories for strategy versions and the action plan, and helpers that build a
strategy in a given state through the real actions."""

import datetime as dt

import factory

from svduty.strategy import actions
from svduty.strategy.models import (
    ActionStatus,
    SectionKind,
    StrategyAction,
    StrategySection,
    StrategyVersion,
)
from svduty.strategy.states import StrategyState, Transition
from tests.factories.accounts import AgencyFactory, UserFactory


class StrategyVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyVersion

    partnership = factory.SubFactory("tests.factories.partnership.PartnershipFactory")
    number = 1
    title = "Serious violence strategy 2024 to 2027"
    period_start = dt.date(2024, 1, 1)
    period_end = dt.date(2027, 1, 1)
    state = StrategyState.DRAFT


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategySection

    strategy_version = factory.SubFactory(StrategyVersionFactory)
    kind = SectionKind.PRIORITIES
    heading = "Our priorities"
    body = "Reduce knife crime among under-25s in the town centre."
    publishable = True


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyAction

    partnership = factory.SubFactory("tests.factories.partnership.PartnershipFactory")
    reference = factory.Sequence(lambda n: f"A{n + 1:03d}")
    title = factory.Sequence(lambda n: f"Action {n}")
    owner_agency = factory.SubFactory(AgencyFactory)
    lead_name = "Jo Bloggs"
    due_on = dt.date(2030, 3, 31)
    status = ActionStatus.ON_TRACK
    created_by = factory.SubFactory(UserFactory)


def consult_everyone(by, version, on=dt.date(2024, 2, 1)):
    for authority in actions.required_consultees(version):
        actions.record_consultation(
            by=by,
            strategy_version=version,
            authority=authority,
            consulted_on=on,
            method="meeting",
            consulted_person="Head teacher",
            response="Supports the priorities.",
            how_considered="Added a schools priority.",
        )


#: A stand-in for a scanned, signed letter: the action checks type and size only.
SIGNED_LETTER = b"%PDF-1.4\n% signed sign-off letter for tests\n%%EOF\n"


def sign_off_everyone(by, version, on=dt.date(2024, 3, 1)):
    """Every specified authority's sign-off, uploaded by the lead from one signed
    document (the way a board meeting's sign-offs are recorded)."""
    actions.record_sign_offs_with_evidence(
        by=by,
        strategy_version=version,
        signatories=[
            actions.Signatory(
                member=member,
                name=f"Chief of {member.agency.name}",
                role="Chief executive",
            )
            for member in actions.required_signatories(version)
        ],
        signed_on=on,
        file_name="signed-minutes.pdf",
        content=SIGNED_LETTER,
    )


def strategy_in_state(
    by, partnership, state: StrategyState, *, sna_summary: bool = False
) -> StrategyVersion:
    """A strategy taken to `state` through the actions (so every rule is met), with
    a summary of the needs assessment if `sna_summary`."""
    version = actions.start_strategy(
        by=by,
        partnership=partnership,
        title="Serious violence strategy 2024 to 2027",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2027, 1, 1),
    )
    actions.save_section(
        by=by,
        strategy_version=version,
        kind=SectionKind.PRIORITIES,
        heading="Our priorities",
        body="Reduce knife crime among under-25s.",
        publishable=True,
    )
    actions.save_section(
        by=by,
        strategy_version=version,
        kind=SectionKind.OTHER,
        heading="Operational detail",
        body="Named patrol routes: not for publication.",
        publishable=False,
    )
    if sna_summary:
        actions.save_section(
            by=by,
            strategy_version=version,
            kind=SectionKind.SNA_SUMMARY,
            heading="What the needs assessment found",
            body="Violence is concentrated in the town centres.",
            publishable=True,
        )
    steps = [
        (StrategyState.CONSULTATION, Transition.START_CONSULTATION, None),
        (
            StrategyState.AWAITING_SIGN_OFF,
            Transition.CLOSE_CONSULTATION,
            consult_everyone,
        ),
        (StrategyState.PUBLISHED, Transition.PUBLISH, sign_off_everyone),
        (StrategyState.UNDER_REVIEW, Transition.START_REVIEW, None),
    ]
    for _target, move, before in steps:
        if version.state == state:
            break
        if before is not None:
            before(by, version)
        version = actions.transition(by=by, strategy_version=version, transition=move)
        version.refresh_from_db()
    if state == StrategyState.REVISED:
        actions.transition(
            by=by,
            strategy_version=version,
            transition=Transition.REVISE,
            decisions="Priorities changed after the new needs assessment.",
            changes="New priority on exploitation.",
        )
        version.refresh_from_db()
    assert version.state == state, (version.state, state)
    return version
