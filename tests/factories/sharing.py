"""Factories for data sharing agreements and small import files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import factory

from svduty.accounts.models import AgencyType
from svduty.sharing.models import (
    DataSharingAgreement,
    DpiaOutcome,
    LawfulBasis,
    LegalGateway,
)
from tests.factories.accounts import AgencyFactory, UserFactory
from tests.factories.partnership import PartnershipFactory

POLICE_STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    "LSOA code,LSOA name,Crime type,Last outcome category,Context"
)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSharingAgreement
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Police recorded crime agreement {n}")
    purpose = "To understand where and when serious violence happens."
    legal_gateway = LegalGateway.PCSC_S16
    for_duty_functions = True
    lawful_basis = LawfulBasis.GDPR_PUBLIC_TASK
    criminal_offence_condition = "DPA 2018 Schedule 1 paragraph 6 (statutory purposes)"
    data_items = "Crime reference, dates, offence code, location, age band, sex."
    datasets = factory.LazyFunction(lambda: ["police_crime_extract", "istv"])
    dpia_reference = "DPIA-2024-07"
    dpia_outcome = DpiaOutcome.LOW_RISK
    retention_and_deletion = "Deleted 3 years after the strategy it informed."
    security_measures = "Role-based access, MFA, encrypted at rest."
    rights_route = "Requests go to the disclosing agency's data protection officer."
    frequency = "Monthly"
    signed_off_by = "A. Officer, Data Protection Officer"
    signed_off_at = dt.date(2024, 1, 10)
    starts_on = dt.date(2024, 1, 1)
    review_on = dt.date(2099, 1, 1)
    ends_on = None
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create:
            self.parties.set(
                extracted
                if extracted is not None
                else [AgencyFactory(agency_type=AgencyType.POLICE)]
            )


def street_row(
    *,
    crime_id: str = "abc123",
    month: str = "2022-01",
    force: str = "Cleveland Police",
    lon: str = "-1.2",
    lat: str = "54.5",
    lsoa: str = "E01012345",
    crime_type: str = "Violence and sexual offences",
) -> str:
    return (
        f"{crime_id},{month},{force},{force},{lon},{lat},On or near X Street,"
        f"{lsoa},Somewhere 001A,{crime_type},Under investigation,"
    )


def write_street_csv(path: Path, rows: list[str]) -> Path:
    path.write_bytes(("\r\n".join([POLICE_STREET_HEADER, *rows]) + "\r\n").encode())
    return path
