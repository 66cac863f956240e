"""The sharing demo: real Cleveland data and labelled synthetic partner data."""

from __future__ import annotations

from svduty.sharing import demo
from svduty.sharing.models import (
    BatchStatus,
    CrimeExtractRecord,
    ImportBatch,
    IstvRecord,
    Lsoa,
    LsoaPopulation,
)


def test_demo_loads_once_and_labels_synthetic_data(db, settings, tmp_path):
    from svduty.accounts import demo as accounts_demo
    from svduty.partnership import demo as partnership_demo

    settings.MEDIA_ROOT = tmp_path
    context = {"quick": True}
    accounts_demo.load(context)
    partnership_demo.load(context)
    demo.load(context)

    assert Lsoa.objects.filter(partnership__slug="cleveland").count() == 352
    assert Lsoa.objects.filter(partnership__slug="hartlepool").count() == 58
    population = LsoaPopulation.objects.filter(
        partnership__slug="cleveland",
        lsoa_code__in=Lsoa.objects.filter(partnership__slug="cleveland").values("code"),
    )
    assert sum(population.values_list("population", flat=True)) == 567_718
    synthetic = ImportBatch.objects.filter(synthetic=True)
    assert synthetic.count() == 10
    assert all(b.file_name.startswith("SYNTHETIC-") for b in synthetic)
    assert all("synthetic" in b.message for b in synthetic)
    assert not ImportBatch.objects.exclude(status=BatchStatus.SUCCEEDED).exists()
    # Each CSP's synthetic data is its own LSOAs only.
    hartlepool = set(
        Lsoa.objects.filter(partnership__slug="hartlepool").values_list(
            "code", flat=True
        )
    )
    codes = set(
        CrimeExtractRecord.objects.filter(partnership__slug="hartlepool").values_list(
            "lsoa_code", flat=True
        )
    )
    assert codes and codes <= hartlepool
    assert IstvRecord.objects.filter(partnership__slug="cleveland").exists()

    before = ImportBatch.objects.count()
    demo.load(context)
    assert ImportBatch.objects.count() == before

    # The force-wide partnership shows a missing specified authority (issue 16): the
    # Redcar and Cleveland youth justice service has not joined it; each council and
    # youth justice service covers only its own area.
    from svduty.partnership.coverage import coverage
    from svduty.partnership.models import AuthorityType, Partnership

    rows = {
        row.area.name: row
        for row in coverage(Partnership.objects.get(slug="cleveland"))
    }
    assert rows["Redcar and Cleveland"].missing == [AuthorityType.YOUTH_OFFENDING_TEAM]
    assert all(
        row.complete for name, row in rows.items() if name != "Redcar and Cleveland"
    )
