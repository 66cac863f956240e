"""`svduty link_setup`: the agencies and agreement an extract needs, then the
import takes the extract under that agreement. Running it again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from svduty.partnership.models import PartnershipMember
from svduty.sharing.models import DataSharingAgreement

from .helpers import import_rows, population_rows

ARGS = [
    "--partnership",
    "middlesbrough",
    "--agency",
    "Teesside Hospital=health_provider",
    "--agency",
    "Cleveland Police=police",
    "--signed-off-by",
    "Data Protection Officer",
    "--dpia",
    "DPIA-13",
    "--dpia-outcome",
    "low_risk",
]


def test_setup_then_import(analyst, partnership, tmp_path):
    out = io.StringIO()
    call_command("link_setup", *ARGS, "--as", analyst.username, stdout=out)
    agreement = DataSharingAgreement.objects.get(partnership=partnership)
    assert agreement.datasets == ["person_extract"]
    assert agreement.parties.count() == 2
    assert PartnershipMember.objects.filter(
        partnership=partnership, agency__name="Cleveland Police"
    ).exists()
    assert f"--agreement {agreement.pk}" in out.getvalue()
    import_rows(analyst, partnership, agreement, tmp_path, population_rows(size=20))
    again = io.StringIO()
    call_command("link_setup", *ARGS, "--as", analyst.username, stdout=again)
    assert "Already set up" in again.getvalue()
    assert DataSharingAgreement.objects.filter(partnership=partnership).count() == 1


def test_setup_refuses_a_bad_agency_type(analyst, partnership):
    with pytest.raises(CommandError, match="NAME=TYPE"):
        call_command(
            "link_setup",
            *ARGS,
            "--agency",
            "Cleveland Police=sheriff",
            "--as",
            analyst.username,
        )
