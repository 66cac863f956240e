"""The strategy lifecycle: every allowed transition, in one place (convention 3).

    draft ──start_consultation──► consultation ──close_consultation──► awaiting_sign_off
    awaiting_sign_off ──publish──► published ──start_review──► under_review
    under_review ──reconfirm──► published (a new review date)
    under_review ──revise──► revised (and a new draft version is created)

Anything not listed here is refused. The rules that must hold before a transition
(consultation records, sign-offs) are in `rules.py`; `actions.transition()` checks both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class StrategyState(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Consultation"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
    PUBLISHED = "published", "Published"
    UNDER_REVIEW = "under_review", "Under review"
    REVISED = "revised", "Replaced by a revision"


class Transition(StrEnum):
    START_CONSULTATION = "start_consultation"
    CLOSE_CONSULTATION = "close_consultation"
    PUBLISH = "publish"
    START_REVIEW = "start_review"
    RECONFIRM = "reconfirm"
    REVISE = "revise"

    @property
    def label(self) -> str:
        return TRANSITION_LABELS[self]


TRANSITION_LABELS = {
    Transition.START_CONSULTATION: "Start consultation",
    Transition.CLOSE_CONSULTATION: "Close consultation and ask for sign-off",
    Transition.PUBLISH: "Publish the strategy",
    Transition.START_REVIEW: "Start the annual review",
    Transition.RECONFIRM: "Re-confirm the strategy",
    Transition.REVISE: "Revise the strategy",
}


@dataclass(frozen=True)
class Edge:
    source: StrategyState
    transition: Transition
    target: StrategyState


S, T = StrategyState, Transition
EDGES: tuple[Edge, ...] = (
    Edge(S.DRAFT, T.START_CONSULTATION, S.CONSULTATION),
    Edge(S.CONSULTATION, T.CLOSE_CONSULTATION, S.AWAITING_SIGN_OFF),
    Edge(S.AWAITING_SIGN_OFF, T.PUBLISH, S.PUBLISHED),
    Edge(S.PUBLISHED, T.START_REVIEW, S.UNDER_REVIEW),
    Edge(S.UNDER_REVIEW, T.RECONFIRM, S.PUBLISHED),
    Edge(S.UNDER_REVIEW, T.REVISE, S.REVISED),
)
del S, T

#: States whose content may still change.
EDITABLE_STATES = frozenset(
    {StrategyState.DRAFT, StrategyState.CONSULTATION, StrategyState.AWAITING_SIGN_OFF}
)
#: States of a version that has been published (its content is frozen for good).
PUBLISHED_STATES = frozenset(
    {StrategyState.PUBLISHED, StrategyState.UNDER_REVIEW, StrategyState.REVISED}
)


class TransitionNotAllowed(Exception):
    def __init__(self, state: str, transition: str) -> None:
        self.state, self.transition = state, transition
        label = StrategyState(state).label.lower() if state in StrategyState else state
        super().__init__(f"A strategy that is {label} cannot {transition}.")


def target_state(state: str, transition: str) -> StrategyState:
    for edge in EDGES:
        if edge.source == state and edge.transition == transition:
            return edge.target
    raise TransitionNotAllowed(state, transition)


def transitions_from(state: str) -> list[Transition]:
    return [edge.transition for edge in EDGES if edge.source == state]
