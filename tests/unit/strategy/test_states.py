"""Every allowed and every forbidden transition of the strategy state machine."""

import itertools

import pytest

from svduty.strategy.states import (
    EDGES,
    StrategyState,
    Transition,
    TransitionNotAllowed,
    target_state,
    transitions_from,
)

S, T = StrategyState, Transition
ALLOWED = {
    (S.DRAFT, T.START_CONSULTATION): S.CONSULTATION,
    (S.CONSULTATION, T.CLOSE_CONSULTATION): S.AWAITING_SIGN_OFF,
    (S.AWAITING_SIGN_OFF, T.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, T.START_REVIEW): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, T.RECONFIRM): S.PUBLISHED,
    (S.UNDER_REVIEW, T.REVISE): S.REVISED,
}
FORBIDDEN = [
    pair for pair in itertools.product(StrategyState, Transition) if pair not in ALLOWED
]


def test_the_machine_is_exactly_the_documented_one():
    assert {(e.source, e.transition): e.target for e in EDGES} == ALLOWED


@pytest.mark.parametrize(("pair", "target"), ALLOWED.items(), ids=lambda v: str(v))
def test_allowed_transition(pair, target):
    state, transition = pair
    assert target_state(state, transition) == target
    assert transition in transitions_from(state)


@pytest.mark.parametrize("pair", FORBIDDEN, ids=lambda p: f"{p[0]}-{p[1]}")
def test_forbidden_transition(pair):
    state, transition = pair
    with pytest.raises(TransitionNotAllowed):
        target_state(state, transition)
    assert transition not in transitions_from(state)


def test_revised_is_final():
    assert transitions_from(S.REVISED) == []


def test_refusal_names_the_state_in_plain_english():
    with pytest.raises(TransitionNotAllowed, match="A strategy that is draft cannot"):
        target_state(S.DRAFT, T.PUBLISH)


def test_forbidden_list_covers_every_other_pair():
    assert len(FORBIDDEN) + len(ALLOWED) == len(StrategyState) * len(Transition)
