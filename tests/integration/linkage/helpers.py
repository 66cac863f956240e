"""A small partnership with synthetic partner extracts and known truth."""

from __future__ import annotations

from svduty.linkage import synthetic
from svduty.linkage.models import PersonRecord
from svduty.sharing.imports import run_import

#: A child in svduty (see `case_child`) and two partner records of her.
ROBIN = {
    "forenames": "Robin",
    "surname": "Testperson",
    "date_of_birth": "2010-05-17",
    "sex": "F",
    "postcode": "TS1 2AB",
}


def import_rows(analyst, partnership, agreement, tmp_path, rows, name="p.csv"):
    path = synthetic.write_csv(tmp_path / name, rows)
    batch = run_import(
        by=analyst,
        partnership=partnership,
        kind="person_extract",
        path=path,
        agreement=agreement,
    )
    assert batch.status == "succeeded", batch.problems
    return batch


def population_rows(size=250, seed=5):
    people = synthetic.population(size, seed=seed)
    return synthetic.all_extracts(people, seed=seed)


def record(agency, local_id):
    return PersonRecord.objects.get(agency_code=agency, local_id=local_id)
