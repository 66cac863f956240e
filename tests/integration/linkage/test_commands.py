"""The command line an operator or an evaluator uses (issue 13, point 7):
`import_data --kind person_extract`, `link`, then `link_export`, whose CSV gives
every imported record its person and decision."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from svduty.audit.models import AuditAction, AuditEvent
from svduty.linkage import synthetic
from svduty.linkage.models import LinkageRun, PersonRecord

from .helpers import population_rows

SAME = {
    "forenames": "Morwenna",
    "surname": "Trethewey-Pascoe",
    "date_of_birth": "2011-08-19",
    "sex": "F",
    "postcode": "TS3 6AA",
    "nhs_number": "9434765919",
}


def test_import_link_and_export(analyst, partnership, agreement, tmp_path):
    rows = population_rows(size=40, seed=11)
    rows += [
        {**SAME, "agency_code": "SCHOOL", "local_id": "S-MT"},
        {**SAME, "agency_code": "ED", "local_id": "E-MT"},
    ]
    path = synthetic.write_csv(tmp_path / "people.csv", rows)
    call_command(
        "import_data",
        "--kind",
        "person_extract",
        "--partnership",
        partnership.slug,
        "--agreement",
        str(agreement.pk),
        "--as",
        analyst.username,
        str(path),
        stdout=io.StringIO(),
    )
    assert PersonRecord.objects.filter(partnership=partnership).count() == len(rows)

    out = io.StringIO()
    call_command(
        "link", "--partnership", partnership.slug, "--as", analyst.username, stdout=out
    )
    run = LinkageRun.objects.get(partnership=partnership)
    assert run.status == "succeeded" and run.started_by == analyst
    assert f"{run.records:,} records: {run.linked:,} linked" in out.getvalue()

    exported = tmp_path / "links.csv"
    call_command(
        "link_export",
        "--partnership",
        partnership.slug,
        "--output",
        str(exported),
        stderr=io.StringIO(),
    )
    with exported.open(newline="", encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["agency_code", "local_id", "person_id", "decision"]
    body = {(a, local): (person, decision) for a, local, person, decision in lines[1:]}
    assert len(body) == len(rows)  # every imported record, once
    assert {d for _, d in body.values()} <= {"linked", "new", "review"}
    for record in PersonRecord.objects.filter(partnership=partnership):
        assert body[(record.agency_code, record.local_id)] == (
            str(record.linked_person_id),
            record.decision,
        )
    # The same child from two agencies (same NHS number): one person, linked.
    assert body[("SCHOOL", "S-MT")] == body[("ED", "E-MT")]
    assert body[("SCHOOL", "S-MT")][1] == "linked"
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, detail__rows=len(rows)
    ).exists()


def test_unknown_partnership_is_refused(db):
    with pytest.raises(CommandError, match="no partnership"):
        call_command("link", "--partnership", "nowhere")
    with pytest.raises(CommandError, match="no partnership"):
        call_command("link_export", "--partnership", "nowhere")
