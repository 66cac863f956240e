"""The linkage demo: Middlesbrough's partner extracts imported and linked, some
records on the demo children's pages, pairs waiting for review; loading twice
changes nothing."""

from svduty.linkage.models import LinkageRun, PairStatus, PersonRecord


def test_demo_loads_and_is_idempotent(db):
    from svduty.accounts import demo as accounts_demo
    from svduty.cases import demo as cases_demo
    from svduty.linkage import demo as linkage_demo
    from svduty.partnership import demo as partnership_demo

    context = {"quick": True}
    accounts_demo.load(context)
    partnership_demo.load(context)
    cases_demo.load(context)
    linkage_demo.load(context)
    run = LinkageRun.objects.get()
    assert run.partnership.slug == "middlesbrough"
    assert run.linked > 0
    assert run.pairs.filter(status=PairStatus.QUEUED).exists()
    on_children = PersonRecord.objects.filter(
        linked_person__case_person__isnull=False, case_person__isnull=True
    )
    assert on_children.exists()
    assert PersonRecord.objects.filter(batch__synthetic=True).exists()
    records = PersonRecord.objects.count()
    linkage_demo.load(context)
    assert PersonRecord.objects.count() == records
    assert LinkageRun.objects.count() == 1
