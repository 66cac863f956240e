"""The analyst's home page says when the needs assessment is older than the data it
reads (issue 16), and only then: a partner person extract (record linkage) is not
read by the snapshot, so it never makes the snapshot stale."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from svduty.analysis.home import snapshot_source_kinds
from svduty.analysis.models import Snapshot
from svduty.core.authorisation import Role
from svduty.sharing.models import BatchStatus, ImportBatch
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import MemberFactory, PartnershipFactory

STALE = "the needs assessment data is older than the latest import"


def _batch(partnership, user, kind, finished_at):
    return ImportBatch.objects.create(
        partnership=partnership,
        kind=kind,
        file_name=f"{kind}.csv",
        sha256=f"{ImportBatch.objects.count():064d}",
        imported_by=user,
        status=BatchStatus.SUCCEEDED,
        finished_at=finished_at,
    )


def test_snapshot_sources_are_the_crime_and_geography_kinds_only():
    kinds = snapshot_source_kinds()
    assert "police_street" in kinds and "lsoa_boundaries" in kinds
    assert "person_extract" not in kinds


def test_only_imports_the_snapshot_reads_make_it_stale(make_user, client_for):
    council = AgencyFactory(name="Hartlepool Borough Council")
    partnership = PartnershipFactory(slug="hartlepool", name="Safer Hartlepool")
    MemberFactory(partnership=partnership, agency=council)
    analyst = make_user(Role.ANALYST, agency=council)
    built = timezone.now() - dt.timedelta(days=1)
    _batch(partnership, analyst, "police_street", built - dt.timedelta(hours=1))
    Snapshot.objects.create(
        partnership=partnership, created_at=built, folder="x", content_hash="0" * 64
    )
    home = reverse("core:home")
    client = client_for(analyst)
    assert STALE not in client.get(home).content.decode()

    _batch(partnership, analyst, "person_extract", built + dt.timedelta(hours=1))
    assert STALE not in client.get(home).content.decode()

    _batch(partnership, analyst, "police_street", built + dt.timedelta(hours=2))
    assert f"Safer Hartlepool: {STALE}" in client.get(home).content.decode()
