"""Preparing for an inspection in a real browser: a partnership lead opens the 21
outcomes, drills into one indicator and the records behind it, records a
self-assessment, draws an audit sample and completes one audit, draws a sample
stratified by sex with a minimum per group, records a training
session and opens prevalence and disproportionality. axe-core checks every page at
1280 and 390 pixels wide."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from svduty.core.authorisation import Role
from svduty.evidence import actions
from svduty.evidence.indicators import REGISTRY
from tests.factories.evidence import evidence_world, referral
from tests.functional.conftest import PAGE_TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def test_lead_prepares_evidence_for_an_inspection(
    page, make_user, sign_in, assert_accessible
):
    world = evidence_world("Journey Partnership")
    lead = make_user(Role.PARTNERSHIP_LEAD, agency=world.council, full_name="Lou Lead")
    for days in (3, 12, 40):
        referral(world, received=world.today - dt.timedelta(days=days))
    actions.refresh_figures(by=None, partnership=world.partnership)
    pk = world.partnership.pk
    indicator = REGISTRY["referral-decided-in-time"]

    def check(context):
        assert_accessible(page, context=f"({context}, 1280 px)")
        page.set_viewport_size({"width": 390, "height": 844})
        assert_accessible(page, context=f"({context}, 390 px)")
        page.set_viewport_size({"width": 1280, "height": 800})

    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, lead)

    # 1. The 21 outcomes, one indicator, the records behind it.
    page.goto(f"/evidence/?partnership={pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Inspection evidence: the 21 outcomes"
    )
    expect(page.locator("#figures-computed")).to_contain_text("Figures computed")
    check("21 outcomes")
    page.get_by_role("link", name=indicator.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(indicator.title)
    check("indicator")
    page.get_by_role("link", name="See the records behind this figure").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Records behind")
    check("drill-down")

    # 2. A self-assessment of outcome 1.
    page.goto(f"/evidence/outcomes/1/self-assessment/?partnership={pk}")
    check("self-assessment form")
    page.get_by_label("Adequate: sound, with some gaps").check()
    page.get_by_label("What the evidence shows").fill("Most referrals decided in time.")
    page.get_by_label("Owner").select_option(index=1)
    fill_date(page, "review_on", world.today + dt.timedelta(days=90))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Most referrals decided in time.")).to_be_visible()
    check("outcome with self-assessment")

    # 3. Draw an audit sample and audit one case.
    page.goto(f"/evidence/audits/?partnership={pk}")
    check("case audits")
    page.get_by_label("Name of the audit").fill("Journey audit")
    page.get_by_label("How many children").fill("2")
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Journey audit")
    check("audit sample")
    page.get_by_role("link", name="Audit case 1").click()
    check("case audit form")
    for radio in page.locator("input[type=radio][value=yes]").all():
        radio.check()
    page.get_by_label("Adequate: sound, with some gaps").check()
    page.get_by_label("Learning").fill("The child's views were recorded.")
    page.get_by_role("button", name="Save the audit").click()
    expect(page.get_by_role("link", name="Moderate case 1")).to_be_visible()

    # 3b. A stratified sample: proportional, at least one from each group.
    page.goto(f"/evidence/audits/?partnership={pk}")
    page.get_by_label("Name of the audit").fill("Stratified audit")
    page.get_by_label("How many children").fill("2")
    page.get_by_label("Stratify by (optional)").select_option(label="Sex")
    page.get_by_label("At least this many from each group (optional)").fill("1")
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stratified audit")
    expect(page.get_by_text("Groups of the stratified sample")).to_be_visible()
    check("stratified audit sample")

    # 4. Workforce: a training session and who attended.
    page.goto(f"/evidence/{world.partnership.slug}/training/")
    check("training")
    page.get_by_label("Title of the session").fill("Spotting exploitation")
    page.get_by_label("Child exploitation (criminal and sexual)").check()
    fill_date(page, "held_on", world.today)
    page.get_by_role("button", name="Record the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spotting exploitation")
    page.get_by_label("How many attended").fill("12")
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("Places taken")).to_be_visible()
    check("training session")

    # 5. Prevalence and disproportionality (small numbers suppressed).
    page.goto(f"/evidence/{world.partnership.slug}/disproportionality/")
    expect(page.get_by_text("fewer than 5").first).to_be_visible()
    check("disproportionality")


def test_every_other_evidence_page_is_accessible_at_both_widths(
    page, make_user, sign_in, assert_accessible
):
    """The pages the first journey does not reach: the one-page summary and the
    report, evidence links, the inspection data request and its log, audit forms,
    moderation by a second auditor, and every workforce, engagement and learning
    page. axe-core and no sideways scrolling at 1280 and 390 px on each."""
    from tests.factories.evidence import learning_records

    world = evidence_world("Every Page Partnership")
    lead = make_user(Role.PARTNERSHIP_LEAD, agency=world.council, full_name="Pat Lead")
    referral(world, received=world.today - dt.timedelta(days=5))
    records = learning_records(world.partnership, world.manager, [world.council])
    actions.save_self_assessment(
        by=world.manager,
        partnership=world.partnership,
        outcome=4,
        grade="adequate",
        narrative="Assessments are mostly on time.",
        owner=world.manager,
        review_on=world.today + dt.timedelta(days=60),
    )
    sample = actions.draw_sample(
        by=world.manager,
        partnership=world.partnership,
        title="Manager's audit",
        seed=11,
        size=1,
    )
    case = sample.cases.get()
    actions.record_case_audit(
        by=world.manager,
        case=case,
        answers={key: "yes" for key, _ in sample.questions()},
        grade="adequate",
        learning="Views recorded.",
    )
    actions.refresh_figures(by=None, partnership=world.partnership)
    pk, slug = world.partnership.pk, world.partnership.slug

    def visit(url, heading):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page, context=f"({url}, 1280 px)")
        page.set_viewport_size({"width": 390, "height": 844})
        assert_accessible(page, context=f"({url}, 390 px)")
        page.set_viewport_size({"width": 1280, "height": 800})

    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, lead)

    # The outcome's one-page summary and the whole report.
    page.goto(f"/evidence/outcomes/4/?partnership={pk}")
    page.get_by_role("link", name="One-page summary of this outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "One-page summary: outcome 4"
    )
    expect(page.get_by_text("Assessments are mostly on time.")).to_be_visible()
    visit(page.url, "One-page summary")
    visit(f"/evidence/report/?partnership={pk}", "Self-assessment report")
    visit(f"/evidence/outcomes/4/evidence/?partnership={pk}", "Add evidence")

    # The inspection data request and the log of what was exported.
    visit(f"/evidence/inspection/?partnership={pk}", "")
    visit(f"/evidence/inspection/exports/?partnership={pk}", "")

    # A configurable audit form, then moderation of the manager's audit.
    visit(f"/evidence/{slug}/audit-forms/", "")
    page.get_by_label("Name of the form").fill("MACE audit")
    page.get_by_label("Questions, one a line").fill(
        "Were the child's views heard?\npolice: Was the child treated as a victim?"
    )
    page.get_by_role("button", name="Save the form").click()
    expect(page.get_by_text("MACE audit").first).to_be_visible()
    visit(f"/evidence/{slug}/audit-forms/", "")
    visit(f"/evidence/audits/{sample.pk}/cases/{case.pk}/moderate/", "")
    page.get_by_label("Strong: good evidence of impact for children").check()
    page.get_by_label("Moderation note").fill("Agreed, and stronger.")
    page.get_by_role("button", name="Save the moderation").click()
    expect(page.get_by_text("Strong: good evidence").first).to_be_visible()
    visit(f"/evidence/audits/{sample.pk}/", "Manager's audit")

    # Workforce, engagement and learning records, each list and record page.
    for path in (
        "supervision",
        "engagement",
        "reviews",
        "learning-events",
        "oversight",
        "trajectories",
    ):
        visit(f"/evidence/{slug}/{path}/", "")
    visit(f"/evidence/engagement/{records.activity.pk}/", "")
    visit(f"/evidence/reviews/{records.review.pk}/", "Rapid review: child A")
    visit(
        f"/evidence/reviews/{records.review.pk}/recommendations/"
        f"{records.recommendation.pk}/complete/",
        "",
    )
    visit(f"/evidence/oversight/{records.decision.pk}/follow-up/", "")


def test_lead_uploads_an_evidence_document_and_an_analyst_downloads_it(
    page, browser, live_server, make_user, sign_in, assert_accessible
):
    """A partnership lead (who may record evidence) adds a document to a
    self-assessment: a file that is not an accepted type is refused with a GOV.UK
    error summary linked to the field, and nothing is kept; a PDF is stored and
    listed. An analyst (who may read the evidence, not record it) downloads it.
    axe-core and no sideways scrolling at 1280 and 390 px on each page."""
    from svduty.evidence.models import EvidenceLink

    world = evidence_world("Upload Partnership")
    lead = make_user(Role.PARTNERSHIP_LEAD, agency=world.council, full_name="Lee Lead")
    analyst = make_user(Role.ANALYST, agency=world.council, full_name="Ana Analyst")
    actions.save_self_assessment(
        by=lead,
        partnership=world.partnership,
        outcome=4,
        grade="adequate",
        narrative="Assessments are mostly on time.",
        owner=lead,
        review_on=world.today + dt.timedelta(days=60),
    )
    pk = world.partnership.pk
    pdf = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"

    def check(on, context):
        on.set_viewport_size({"width": 1280, "height": 800})
        assert_accessible(on, context=f"({context}, 1280 px)")
        on.set_viewport_size({"width": 390, "height": 844})
        assert_accessible(on, context=f"({context}, 390 px)")
        on.set_viewport_size({"width": 1280, "height": 800})

    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, lead)
    page.goto(f"/evidence/outcomes/4/?partnership={pk}")
    page.get_by_role("link", name="Add evidence").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add evidence")
    check(page, "add evidence")

    # A program renamed nothing: refused, said plainly at the top and at the field.
    page.get_by_label("Title").fill("Assessment audit")
    page.get_by_label("Upload a document (optional)").set_input_files(
        {"name": "tool.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}
    )
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    error_link = summary.get_by_role("link", name="The selected file must be a PDF")
    expect(error_link).to_have_attribute("href", "#id_document")
    expect(page.locator(".govuk-error-message")).to_contain_text(
        "The selected file must be a PDF, Word document (.docx)"
    )
    assert page.title().startswith("Error: ")
    check(page, "wrong file type refused")
    assert not EvidenceLink.objects.exists()

    # A PDF: stored and listed on the outcome's page.
    page.get_by_label("Upload a document (optional)").set_input_files(
        {"name": "assessment-audit.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    page.get_by_role("button", name="Save").click()
    download_link = page.get_by_role("link", name="assessment-audit.pdf")
    expect(download_link).to_be_visible()
    check(page, "outcome with the document")

    # The analyst reads the outcome and downloads the document.
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    reader = context.new_page()
    try:
        reader.set_viewport_size({"width": 1280, "height": 800})
        sign_in(reader, analyst)
        reader.goto(f"/evidence/outcomes/4/?partnership={pk}")
        expect(reader.get_by_role("link", name="Add evidence")).to_have_count(0)
        check(reader, "outcome as an analyst")
        with reader.expect_download() as got:
            reader.get_by_role("link", name="assessment-audit.pdf").click()
        download = got.value
        assert download.suggested_filename == "assessment-audit.pdf"
        with open(download.path(), "rb") as handle:
            assert handle.read() == pdf
    finally:
        context.close()
