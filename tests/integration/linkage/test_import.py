"""Person extracts come in through the sharing pipeline under an agreement; a new
extract from an agency updates its records and closes the ones it left out."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from svduty.linkage.models import PersonRecord
from svduty.linkage.synthetic import write_csv
from svduty.sharing.imports import run_import
from svduty.sharing.models import BatchStatus
from svduty.sharing.readers import KINDS


def _row(local_id, forenames="Ann", agency="YJS", **extra):
    row = {
        "agency_code": agency,
        "local_id": local_id,
        "forenames": forenames,
        "surname": "Lee",
        "date_of_birth": "2010-01-02",
    }
    row.update(extra)
    return row


def test_the_kind_is_registered_by_the_linkage_app():
    assert KINDS["person_extract"].needs_agreement


def test_an_extract_needs_an_agreement_covering_it(analyst, partnership, tmp_path):
    path = write_csv(tmp_path / "p.csv", [_row("1")])
    with pytest.raises(ValidationError):
        run_import(
            by=analyst, partnership=partnership, kind="person_extract", path=path
        )


def test_reimport_updates_adds_and_closes(analyst, partnership, agreement, tmp_path):
    first = write_csv(
        tmp_path / "a.csv",
        [_row("1"), _row("2", "Bob"), _row("9", "Cat", agency="ED")],
    )
    batch = run_import(
        by=analyst,
        partnership=partnership,
        kind="person_extract",
        path=first,
        agreement=agreement,
    )
    assert batch.status == BatchStatus.SUCCEEDED, batch.problems
    assert PersonRecord.objects.filter(partnership=partnership).count() == 3
    original = PersonRecord.objects.get(local_id="1")

    second = write_csv(tmp_path / "b.csv", [_row("1", "Anne"), _row("3", "Dan")])
    batch2 = run_import(
        by=analyst,
        partnership=partnership,
        kind="person_extract",
        path=second,
        agreement=agreement,
    )
    assert batch2.status == BatchStatus.SUCCEEDED, batch2.problems
    records = {r.local_id: r for r in PersonRecord.objects.all()}
    assert records["1"].pk == original.pk  # updated in place
    assert records["1"].forenames == "Anne"
    assert records["1"].batch_id == batch2.pk
    assert records["2"].closed_at is not None  # absent from YJS's new extract
    assert records["3"].closed_at is None
    assert records["9"].closed_at is None  # another agency's record is untouched
    assert len(records) == 4


def test_a_bad_row_imports_nothing(analyst, partnership, agreement, tmp_path):
    path = write_csv(tmp_path / "p.csv", [_row("1"), _row("2", sex="X")])
    batch = run_import(
        by=analyst,
        partnership=partnership,
        kind="person_extract",
        path=path,
        agreement=agreement,
    )
    assert batch.status == BatchStatus.FAILED
    assert not PersonRecord.objects.exists()
