"""The 21 outcomes that a joint targeted area inspection (JTAI) of the multi-agency
response to serious youth violence evaluates.

Source: `../shared/reference/svro-jtai-practice.md` part B. B.2 says there are 21
evaluation criteria ([S] [33]: Community Care, 29 August 2023, on the inspectorates'
guidance [31]) and quotes the ones reported ("how well agencies work together to
identify children ... including exploited children", "intervene to reduce risk, support
children and monitor the impact", "avoid unnecessarily criminalising children", "give
children and families access to effective services, including therapies", "train
practitioners to avoid victim-blaming and recognise bias"). The reference also says
that **the full list of 21 is not confirmed** (its "Facts not confirmed", item 9). The
titles below are therefore the 21 themes that issue 12 names, in its order; where the
reference quotes the inspectorates, `reference_wording` holds that wording and
`confirmed` is True. Check the official framework before quoting the rest as the
inspectorates' words (the outcome page says so).
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = (
    "Joint targeted area inspections of the multi-agency response to serious youth "
    "violence (Ofsted, CQC, HMICFRS, HMI Probation; gov.uk, updated 22 September "
    "2023) and Community Care, 29 August 2023 (reference B.1-B.2, sources 31 and 33)."
)
UNCONFIRMED_NOTE = (
    "The inspectorates' full list of 21 criteria is not confirmed in our sources: "
    "this title is the theme as our issue names it, not the inspectorates' wording."
)


@dataclass(frozen=True)
class Outcome:
    number: int
    title: str
    question: str
    reference_wording: str = ""

    @property
    def confirmed(self) -> bool:
        return bool(self.reference_wording)

    @property
    def source_note(self) -> str:
        return SOURCE if self.confirmed else f"{SOURCE} {UNCONFIRMED_NOTE}"


OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        1,
        "Identification and intervention",
        "Do agencies identify children at risk of, or affected by, serious youth "
        "violence early, and intervene to reduce the risk?",
        "work together to identify children at risk of, or affected by, serious "
        "youth violence, including exploited children; intervene to reduce risk, "
        "support children and monitor the impact",
    ),
    Outcome(
        2,
        "Child-centred practice",
        "Is practice centred on the child, including harm outside the home and online?",
    ),
    Outcome(
        3,
        "Trusting relationships",
        "Do children have trusting, consistent relationships with practitioners?",
    ),
    Outcome(
        4,
        "Assessments",
        "Are assessments timely, multi-agency and do they consider the child's "
        "whole situation?",
    ),
    Outcome(
        5,
        "Dynamic plans",
        "Do plans change when risk changes, and are their actions done?",
    ),
    Outcome(
        6,
        "Multi-agency meetings",
        "Do the right agencies attend multi-agency meetings, and are the actions "
        "agreed there done on time?",
    ),
    Outcome(
        7,
        "Services",
        "Can children and families get effective services, including therapies, "
        "without waiting too long?",
        "give children and families access to effective services, including therapies",
    ),
    Outcome(
        8,
        "Workforce",
        "Are practitioners trained and supervised to work with exploitation and "
        "serious youth violence, avoiding victim-blaming and recognising bias?",
        "train practitioners to avoid victim-blaming and recognise bias",
    ),
    Outcome(
        9,
        "Health practitioners' curiosity",
        "Are health practitioners professionally curious, and do they refer "
        "children they are worried about?",
    ),
    Outcome(
        10,
        "Not criminalising children",
        "Do agencies avoid unnecessarily criminalising children?",
        "avoid unnecessarily criminalising children",
    ),
    Outcome(
        11,
        "Investigation",
        "Are crimes against children, including exploitation, investigated and "
        "are exploited children recognised as victims?",
        "tackle child criminal exploitation",
    ),
    Outcome(
        12,
        "Listening to children and families",
        "Are children's and families' views heard, recorded and acted on?",
    ),
    Outcome(
        13,
        "Schools identifying and referring",
        "Do schools identify children at risk and refer them?",
    ),
    Outcome(
        14,
        "Children kept in education",
        "Are children at risk kept in education, and is missing education noticed?",
    ),
    Outcome(
        15,
        "Leaders' understanding of causes",
        "Do leaders understand the causes of serious youth violence in their area?",
    ),
    Outcome(
        16,
        "Prevalence and disproportionality",
        "Do leaders know how many children are affected, where, and which groups "
        "are over-represented?",
    ),
    Outcome(
        17,
        "Places and spaces",
        "Do agencies intervene in the places where children are harmed?",
    ),
    Outcome(
        18,
        "Community engagement",
        "Do leaders engage communities, and does what they hear change things?",
    ),
    Outcome(
        19,
        "Critical reflection",
        "Do agencies audit their practice and reflect critically on it?",
    ),
    Outcome(
        20,
        "The safeguarding partnership's oversight",
        "Does the safeguarding partnership treat serious youth violence as a "
        "safeguarding priority and oversee the response?",
    ),
    Outcome(
        21,
        "Multi-agency learning",
        "Does the partnership learn from reviews and practice, and are "
        "recommendations completed?",
    ),
)

BY_NUMBER: dict[int, Outcome] = {o.number: o for o in OUTCOMES}


def get(number: int) -> Outcome | None:
    return BY_NUMBER.get(number)
