"""The thresholds on a small fixture with known answers: the model's scores are
fixed (``engine.run`` replaced), so each pair's probability is known and the test
checks only what the partnership's thresholds make of it."""

from __future__ import annotations

import pandas as pd
import pytest

from svduty.linkage import engine, runs
from svduty.linkage.models import Decision, LinkageSettings, PairStatus
from svduty.linkage.runs import run_linkage

from .helpers import import_rows, record

ROWS = [
    {"agency_code": "SCHOOL", "local_id": n, "forenames": n, "surname": "Doe"}
    for n in ("A", "B", "C", "D", "E", "F", "G", "H", "I")
]


def _scores(monkeypatch, scored):
    """``scored``: [(local_id, local_id, probability, possible_twin)]."""

    def fake_run(records, *, threshold, db_api=None):
        ids = {
            r.local_id: r.pk
            for r in runs.PersonRecord.objects.filter(agency_code="SCHOOL")
        }
        kept = [s for s in scored if s[2] >= threshold]  # as the engine does
        frame = pd.DataFrame(
            {
                "unique_id_l": [ids[a] for a, *_ in kept],
                "unique_id_r": [ids[b] for _, b, *_ in kept],
                "match_weight": [5.0 for _ in kept],
                "match_probability": [p for *_, p, _ in kept],
                "possible_twin": [t for *_, t in kept],
            }
        )
        explanation = [{"comparison": "x", "level": "y", "weight": 5, "words": "z"}]
        return engine.Result({"comparisons": []}, frame, [explanation for _ in kept])

    monkeypatch.setattr(runs.engine, "run", fake_run)


@pytest.fixture
def scored(analyst, partnership, agreement, tmp_path, monkeypatch):
    import_rows(analyst, partnership, agreement, tmp_path, ROWS)
    _scores(
        monkeypatch,
        [
            ("A", "B", 0.99, False),  # above accept: linked
            ("C", "D", 0.975, False),  # exactly accept: linked
            ("E", "F", 0.90, False),  # between: review
            ("F", "G", 0.85, False),  # exactly review: review
            ("H", "I", 0.84, False),  # below review: not kept, both new
        ],
    )
    return partnership


def _decisions():
    return {
        r: record("SCHOOL", r).decision
        for r in ("A", "B", "C", "D", "E", "F", "G", "H")
    }


def test_default_thresholds_link_review_and_new(scored, analyst):
    settings = LinkageSettings.objects.get_or_create(partnership=scored)[0]
    assert (settings.accept_above, settings.review_above) == (0.975, 0.85)
    run = run_linkage(by=analyst, partnership=scored)
    assert _decisions() == {
        "A": Decision.LINKED,
        "B": Decision.LINKED,
        "C": Decision.LINKED,
        "D": Decision.LINKED,
        "E": Decision.REVIEW,
        "F": Decision.REVIEW,
        "G": Decision.REVIEW,
        "H": Decision.NEW,
    }
    assert record("SCHOOL", "I").decision == Decision.NEW
    assert (
        record("SCHOOL", "A").linked_person_id == record("SCHOOL", "B").linked_person_id
    )
    assert (
        record("SCHOOL", "E").linked_person_id != record("SCHOOL", "F").linked_person_id
    )
    assert (run.linked, run.review, run.new) == (4, 3, 2)
    statuses = sorted(run.pairs.values_list("probability", "status"))
    assert statuses == [
        (0.85, PairStatus.QUEUED),
        (0.9, PairStatus.QUEUED),
        (0.975, PairStatus.AUTO_MATCH),
        (0.99, PairStatus.AUTO_MATCH),
    ]


def test_moving_the_thresholds_moves_the_decisions(scored, analyst):
    LinkageSettings.objects.update_or_create(
        partnership=scored, defaults={"accept_above": 0.9, "review_above": 0.8}
    )
    run = run_linkage(by=analyst, partnership=scored)
    decisions = _decisions()
    assert decisions["E"] == decisions["F"] == Decision.LINKED  # 0.90 >= 0.9
    assert decisions["G"] == Decision.REVIEW  # 0.85 is now below accept
    assert decisions["H"] == Decision.REVIEW  # 0.84 >= 0.8
    assert (run.accept_above, run.review_above) == (0.9, 0.8)


def test_a_possible_twin_above_accept_is_queued_not_linked(
    analyst, partnership, agreement, tmp_path, monkeypatch
):
    import_rows(analyst, partnership, agreement, tmp_path, ROWS)
    _scores(monkeypatch, [("A", "B", 0.999, True)])
    run_linkage(by=analyst, partnership=partnership)
    a, b = record("SCHOOL", "A"), record("SCHOOL", "B")
    assert a.linked_person_id != b.linked_person_id
    assert a.decision == b.decision == Decision.REVIEW
