"""`svduty link_setup --partnership SLUG --as USERNAME --agency "NAME=TYPE" ...`

Sets up what a partner person extract needs before `svduty import_data --kind
person_extract` can take it: the agencies that send extracts (created when
missing and made members of the partnership) and a data sharing agreement that
covers *Partner person extract*, signed off as given. Running it again with the
same title changes nothing and prints the same agreement.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from svduty.accounts.models import Agency, AgencyType, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.guard import writes_allowed
from svduty.partnership.models import Partnership, PartnershipMember, StatutoryRole
from svduty.sharing import actions as sharing_actions
from svduty.sharing.models import (
    DataSharingAgreement,
    DpiaOutcome,
    LawfulBasis,
    LegalGateway,
)

RELEVANT = {AgencyType.EDUCATION, AgencyType.PRISON, AgencyType.YOUTH_CUSTODY}
SPECIFIED = {
    AgencyType.POLICE,
    AgencyType.LOCAL_AUTHORITY,
    AgencyType.ICB,
    AgencyType.FIRE,
    AgencyType.PROBATION,
    AgencyType.YOUTH_JUSTICE,
}


def statutory_role(kind: str) -> str:
    if kind in SPECIFIED:
        return StatutoryRole.SPECIFIED
    if kind in RELEVANT:
        return StatutoryRole.RELEVANT
    if kind == AgencyType.VOLUNTARY:
        return StatutoryRole.VOLUNTARY
    if kind == AgencyType.LOCAL_POLICING_BODY:
        return StatutoryRole.LOCAL_POLICING_BODY
    return StatutoryRole.INVITED


class Command(BaseCommand):
    help = (
        "Create the agencies and the data sharing agreement that partner person "
        "extracts (record linkage) need."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="Partnership slug")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="A user who may manage the partnership's agreements",
        )
        parser.add_argument(
            "--agency",
            action="append",
            required=True,
            metavar="NAME=TYPE",
            help="An agency that sends extracts, e.g. 'Cleveland Police=police' "
            f"(types: {', '.join(AgencyType.values)}); repeat for each",
        )
        parser.add_argument(
            "--title", default="Person data for record linkage", help="Agreement title"
        )
        parser.add_argument(
            "--signed-off-by", required=True, help="Who signed the agreement off"
        )
        parser.add_argument(
            "--signed-off-on",
            type=dt.date.fromisoformat,
            default=None,
            help="Date signed off, YYYY-MM-DD (today when left out)",
        )
        parser.add_argument("--dpia", required=True, help="DPIA reference")
        parser.add_argument(
            "--dpia-outcome",
            choices=DpiaOutcome.values,
            required=True,
            help="What the DPIA concluded",
        )
        parser.add_argument(
            "--review-on",
            type=dt.date.fromisoformat,
            default=None,
            help="When the agreement is next reviewed, YYYY-MM-DD (a year on)",
        )

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"There is no partnership ‘{options['partnership']}’")
        by = User.objects.filter(username=options["username"]).first()
        if by is None:
            raise CommandError(f"There is no user ‘{options['username']}’")
        wanted = []
        for item in options["agency"]:
            name, sep, kind = item.rpartition("=")
            name, kind = name.strip(), kind.strip()
            if not sep or not name or kind not in AgencyType.values:
                raise CommandError(
                    f"‘{item}’ is not NAME=TYPE with a type from: "
                    f"{', '.join(AgencyType.values)}"
                )
            wanted.append((name, kind))
        try:
            agreement, made = self._set_up(partnership, by, wanted, options)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        verb = "Created" if made else "Already set up:"
        self.stdout.write(
            f"{verb} agreement {agreement.pk} ‘{agreement.title}’ covering partner "
            f"person extracts for {agreement.parties.count()} agencies.\n"
            f"Import an extract with: svduty import_data --kind person_extract "
            f"--partnership {partnership.slug} --agreement {agreement.pk} FILE"
        )

    @transaction.atomic
    def _set_up(self, partnership, by, wanted, options):
        agencies = []
        for name, kind in wanted:
            with writes_allowed(
                "link_setup, run by an operator, adds the extract's agencies and "
                "audits it here"
            ):
                agency, created = Agency.objects.get_or_create(
                    name=name, defaults={"agency_type": kind}
                )
            if created:
                record(
                    AuditAction.CREATE,
                    actor=by,
                    target=agency,
                    detail={"command": "link_setup"},
                )
            with writes_allowed(
                "link_setup, run by an operator, joins the extract's agencies to the "
                "partnership and audits it here"
            ):
                _, joined = PartnershipMember.objects.get_or_create(
                    partnership=partnership,
                    agency=agency,
                    defaults={"statutory_role": statutory_role(agency.agency_type)},
                )
            if joined:
                record(
                    AuditAction.CHANGE,
                    actor=by,
                    target=partnership,
                    detail={"command": "link_setup", "member_added": agency.name},
                )
            agencies.append(agency)
        found = DataSharingAgreement.objects.filter(
            partnership=partnership, title=options["title"]
        ).first()
        if found is not None:
            if "person_extract" not in (found.datasets or []):
                raise CommandError(
                    f"Agreement {found.pk} ‘{found.title}’ exists but does not cover "
                    "partner person extracts: give another --title"
                )
            return found, False
        signed = options["signed_off_on"] or dt.date.today()
        agreement = sharing_actions.create_agreement(
            by=by,
            partnership=partnership,
            parties=agencies,
            title=options["title"],
            purpose="To find the same child in the records of several agencies so "
            "that the people working with the child see one picture, and to decide "
            "the uncertain matches by a person (record linkage).",
            legal_gateway=LegalGateway.CDA_S115,
            lawful_basis=LawfulBasis.GDPR_PUBLIC_TASK,
            data_items="Agency reference, names, date of birth, sex, ethnicity, "
            "postcode and address, NHS number, UPN, PNC ID, why the agency holds it.",
            datasets=["person_extract"],
            dpia_reference=options["dpia"],
            dpia_outcome=options["dpia_outcome"],
            retention_and_deletion="Each extract replaces the agency's previous "
            "one; records missing from a new extract are closed, not deleted.",
            security_measures="Uploaded to svduty only; reviewers need multi-factor "
            "authentication; every view, decision and export is audited.",
            rights_route="Requests go to the agency that holds the record.",
            frequency="Monthly",
            signed_off_by=options["signed_off_by"],
            signed_off_at=signed,
            starts_on=signed,
            review_on=options["review_on"] or signed + dt.timedelta(days=365),
        )
        return agreement, True
