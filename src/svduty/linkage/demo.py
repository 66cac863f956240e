"""Demo data: synthetic partner person extracts for Safer Middlesbrough, linked.

Five agencies (school, youth justice, police, children's social care, emergency
department) each send an extract of synthetic people made by
:mod:`svduty.linkage.synthetic`, with the errors real extracts have. Some of the
people are the demo's Middlesbrough children, so their records link to the child's
record and show on the child's page ("Records held by partner agencies"); a few
are made ambiguous (a nickname, a new address, no identifier) so the review queue
has pairs for ``manager`` and ``analyst`` to decide. Imports go through the sharing
pipeline under a demo agreement; the run is ``svduty link``'s. Running the loader
again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from pathlib import Path

from svduty.accounts.models import Agency, User
from svduty.cases.models import Person, PersonKind
from svduty.linkage import synthetic
from svduty.linkage.models import LinkageRun, PairStatus
from svduty.linkage.runs import run_linkage
from svduty.partnership.models import Partnership
from svduty.sharing import actions as sharing_actions
from svduty.sharing.imports import run_import
from svduty.sharing.models import DataSharingAgreement, LawfulBasis, LegalGateway

PARTNERSHIP = "middlesbrough"
TITLE = "Person data for record linkage (demo, synthetic data)"
SEX = {"female": "F", "male": "M"}


def _say(context: dict, text: str) -> None:
    stdout = context.get("stdout")
    if stdout is not None:
        stdout.write(text)


def _agreement(partnership: Partnership, by: User) -> DataSharingAgreement:
    found = DataSharingAgreement.objects.filter(
        partnership=partnership, title=TITLE
    ).first()
    if found is not None:
        return found
    from svduty.sharing.models import DpiaOutcome

    return sharing_actions.create_agreement(
        by=by,
        partnership=partnership,
        parties=list(
            Agency.objects.filter(partnership_memberships__partnership=partnership)
        ),
        title=TITLE,
        purpose="To find the same child in the records of several agencies so "
        "that the people working with the child see one picture (demo agreement "
        "for synthetic data).",
        legal_gateway=LegalGateway.CDA_S115,
        lawful_basis=LawfulBasis.GDPR_PUBLIC_TASK,
        data_items="Agency reference, names, date of birth, sex, ethnicity, "
        "postcode and address, NHS number, UPN, PNC ID, why the agency holds it.",
        datasets=["person_extract"],
        dpia_reference="DEMO-DPIA-13",
        dpia_outcome=DpiaOutcome.LOW_RISK,
        retention_and_deletion="Each extract is replaced by the next; closed "
        "records are deleted a year after closing.",
        security_measures="Upload to svduty only; reviewers need multi-factor "
        "authentication; every view, decision and export audited.",
        rights_route="Requests go to the agency that holds the record.",
        frequency="Monthly",
        signed_off_by="Demo Data Protection Officer (synthetic)",
        signed_off_at=dt.date(2022, 1, 4),
        starts_on=dt.date(2022, 1, 1),
        review_on=dt.date(2099, 1, 1),
    )


def _children_as_people(partnership: Partnership, start: int) -> list:
    people = []
    rng = random.Random(13)
    for n, child in enumerate(
        Person.objects.filter(partnership=partnership, kind=PersonKind.CHILD).order_by(
            "pk"
        )[:40]
    ):
        address = child.addresses.filter(to_date__isnull=True).first()
        postcode = (address.postcode if address else "") or "TS1 2AB"
        ids = {i.kind: i.value for i in child.identifiers.all()}
        people.append(
            synthetic.TruePerson(
                id=start + n,
                forenames=child.first_name,
                surname=child.last_name,
                date_of_birth=child.date_of_birth or dt.date(2010, 1, 1),
                sex=SEX.get(child.sex, rng.choice("FM")),
                ethnicity="",
                postcode=postcode,
                address=address.line_1 if address else "",
                nhs_number=ids.get("nhs") or synthetic.nhs_number(rng),
                upn=ids.get("upn") or synthetic.upn(rng),
                pnc_id=ids.get("pnc") or "",
            )
        )
    return people


def load(context: dict) -> None:
    partnership = Partnership.objects.filter(slug=PARTNERSHIP).first()
    analyst = User.objects.filter(username="analyst").first()
    if partnership is None or analyst is None:
        return
    if LinkageRun.objects.filter(partnership=partnership).exists():
        return
    agreement = _agreement(partnership, analyst)
    size = 300 if context.get("quick") else 1200
    people = synthetic.population(size, seed=2026)
    people += _children_as_people(partnership, start=size + 1)
    rows = synthetic.all_extracts(people, seed=2026)
    rng = random.Random(2026)
    # Ambiguous records of a few children: a short name, a new address, no
    # identifier, and a slip in the date of birth: these wait for review.
    for person in people[size : size + 4]:
        row = synthetic.noisy_row(
            rng, person, "ED", f"EDR{person.id}", "Emergency department attendance", {}
        )
        row.update(postcode="TS3 9ZZ", address="", sex="")
        born = person.date_of_birth
        row["date_of_birth"] = (
            born.replace(year=born.year + 1).isoformat()
            if not (born.month == 2 and born.day == 29)
            else born.isoformat()
        )
        rows.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = synthetic.write_csv(Path(folder) / "person-extracts.csv", rows)
        batch = run_import(
            by=analyst,
            partnership=partnership,
            kind="person_extract",
            path=path,
            file_name="person-extracts-demo.csv",
            agreement=agreement,
            synthetic=True,
            rebuild_snapshot=False,
        )
    _say(context, f"Person extracts: {batch.message}")
    run = run_linkage(by=analyst, partnership=partnership)
    queued = run.pairs.filter(status=PairStatus.QUEUED).count()
    _say(
        context,
        f"Record linkage: {run.records:,} records, {run.linked:,} linked, "
        f"{queued:,} pairs waiting for review.",
    )
