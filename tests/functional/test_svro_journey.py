"""The police officer who manages Serious Violence Reduction Orders, in a real
browser: finds a person on the register, records the application, the court's
decision and the order (the Act's rules refuse a period of 25 months and an order
without the weapon condition), the initial notification and a change of address,
a search (refused before the order took effect), a variation, a breach (no
conditional discharge for obstruction) and a discharge; then the scrutiny figures,
a panel's sample with its review, and the transparency report as HTML, PDF and XLSX.
axe-core checks every page at 1280 and 390 pixels wide, and no page scrolls
sideways at 390 pixels (tables scroll in their own box)."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from svduty.core.authorisation import Role
from svduty.svro.models import Order
from tests.factories.svro import force, make_holder, report_lead, svro_type
from tests.functional.conftest import PAGE_TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
# The elements that stick out of the page at its width (inside a box that scrolls
# on its own is fine): none, or the page scrolls sideways.
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 1
      && !e.closest(".app-table-scroll")
      && e.parentElement.getBoundingClientRect().right <= width + 1)
    .slice(0, 5)
    .map(e => e.tagName + "." + e.className + " " + Math.round(
      e.getBoundingClientRect().right));
}"""
DESKTOP = {"width": 1280, "height": 800}


def fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def radio(page, name, value):
    page.locator(f"input[name='{name}'][value='{value}']").check()


def test_officer_manages_an_order_and_its_scrutiny(
    page, make_user, sign_in, assert_accessible
):
    from svduty.partnership.models import LocalArea

    cleveland = force()
    svro_type()
    LocalArea.objects.create(ons_code="E06000002", name="Middlesbrough")
    officer = make_user(Role.SVRO_OFFICER, agency=cleveland, full_name="Pat Officer")
    holder = make_holder(officer, name="Jordan Example", reference="26/123456X")
    make_holder(officer, name="Sam Other", date_of_birth=dt.date(1990, 1, 2))
    today = timezone.localdate()
    made = today - dt.timedelta(days=3)

    def check(context):
        assert_accessible(page, context=f"({context}, 1280 px)")
        page.set_viewport_size(PHONE)
        assert_accessible(page, context=f"({context}, 390 px)")
        wide = page.evaluate(WIDEST)
        assert not wide, f"{context} scrolls sideways at 390 px: {wide}"
        page.set_viewport_size(DESKTOP)

    def error(text):
        expect(page.locator(".govuk-error-summary")).to_contain_text(text)
        check(f"error: {text}")

    page.set_viewport_size(DESKTOP)
    sign_in(page, officer)

    # 1. Find the person on the register.
    page.goto("/svro/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Orders")
    check("orders")
    page.get_by_role("searchbox", name="Find a person").fill("jordan")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People found")
    expect(page.get_by_role("link", name="Sam Other")).to_have_count(0)
    check("people found")
    page.get_by_role("searchbox", name="Find a person").fill("26/123456x")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Jordan Example").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jordan Example")
    check("holder")

    # 2. The application and the court's decision.
    page.get_by_role("link", name="Record a consideration or application").click()
    check("application form")
    page.locator("#id_order_type").select_option(
        label="Serious violence reduction order (SVRO)"
    )
    fill_date(page, "considered_on", today - dt.timedelta(days=20))
    radio(page, "status", "pending")
    page.locator("#id_offence").fill("Possession of a bladed article")
    fill_date(page, "offence_date", today - dt.timedelta(days=60))
    fill_date(page, "conviction_date", today - dt.timedelta(days=10))
    page.locator("#id_sentence").fill("Community order, 12 months")
    page.locator("#id_court").fill("Teesside Crown Court")
    fill_date(page, "hearing_date", made)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Consideration recorded")).to_be_visible()
    page.get_by_role("link", name="Record the decision").click()
    check("decision form")
    radio(page, "status", "granted")
    fill_date(page, "decided_on", made)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()

    # 3. The order: the Act's rules are checked.
    page.get_by_role("link", name="Record an order").click()
    check("order form")
    page.locator("#id_order_type").select_option(
        label="Serious violence reduction order (SVRO)"
    )
    page.locator("#id_application").select_option(index=1)
    page.locator("#id_issuing_area").select_option(label="Cleveland")
    page.locator("#id_issuing_court").fill("Teesside Crown Court")
    fill_date(page, "made_on", made)
    page.locator("#id_period_months").fill("25")
    page.get_by_role("button", name="Save").click()
    error("The period must be between 6 and 24 months")
    page.locator("#id_period_months").fill("24")
    page.get_by_role("button", name="Save").click()
    error("Select which weapon condition the court found")
    radio(page, "weapon_condition", "own_possession")
    page.locator("input[name='necessity'][value='a']").check()
    page.locator("input[name='necessity'][value='c']").check()
    page.locator("#id_explanation_given").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Serious violence reduction order (SVRO)"
    )
    expect(page.get_by_text("In force", exact=True)).to_be_visible()
    order = Order.objects.get(holder=holder)
    assert order.period_months == 24
    check("order")

    # 4. Notifications: the initial one, then a new home address.
    page.get_by_role("link", name="Record attendance").click()
    check("initial notification form")
    fill_date(page, "notified_on", made + dt.timedelta(days=1))
    page.locator("#id_station").fill("Middlesbrough Police Station")
    page.locator("#id_received_by").fill("PC 1234")
    page.locator("#id_address").fill("1 Example Street, Middlesbrough")
    page.locator("#id_advice_given").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("On time")).to_be_visible()
    page.get_by_role("link", name="Record a notification").click()
    check("notification form")
    radio(page, "event", "new_home")
    fill_date(page, "event_on", today)
    fill_date(page, "notified_on", today)
    page.locator("#id_station").fill("Middlesbrough Police Station")
    page.locator("#id_received_by").fill("PC 1234")
    page.locator("#id_address").fill("2 Other Road, Stockton-on-Tees")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("New home address,")).to_be_visible()

    # 5. A search: refused before the order took effect, recorded while in force.
    page.get_by_role("link", name="Record a search").click()
    check("search form")
    page.locator("#id_reference").fill("CL-2026-0001")
    page.locator("#id_force_area").select_option(label="Cleveland")
    page.locator("#id_officer_identifier").fill("PC 1234")
    fill_date(page, "searched_on", made - dt.timedelta(days=1))
    page.locator("#id_searched_time").fill("23:59")
    page.locator("#id_location").fill("Linthorpe Road, Middlesbrough")
    page.locator("#id_local_area").select_option(label="Middlesbrough (E06000002)")
    radio(page, "public_place", "yes")
    radio(page, "identity_method", "pnc")
    for item in ("grounds", "object", "identity", "station", "legal_power"):
        page.locator(f"input[name='gowisely'][value='{item}']").check()
    page.locator("#id_self_ethnicity").select_option("W1")
    page.locator("#id_officer_ethnicity").select_option("white")
    page.locator("#id_age").fill("25")
    radio(page, "sex", "male")
    page.locator("input[name='items_found'][value='knife']").check()
    page.locator("#id_seized").check()
    radio(page, "outcome", "arrest")
    page.locator("#id_arrest_offence").fill("Possession of a bladed article")
    page.locator("#id_outcome_linked").check()
    page.locator("#id_body_worn_video").check()
    page.get_by_role("button", name="Save").click()
    error("The order was not in force at that time")
    fill_date(page, "searched_on", made)
    page.locator("#id_searched_time").fill("00:01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Search recorded")).to_be_visible()
    expect(page.get_by_text("1 search", exact=True)).to_be_visible()

    # 6. A variation, a breach, then the discharge.
    page.get_by_role("link", name="Record a court decision").click()
    check("court decision form")
    radio(page, "event", "varied")
    fill_date(page, "event_on", today)
    page.locator("#id_applicant").select_option("chief_officer")
    page.locator("#id_court").fill("Teesside Magistrates' Court")
    page.locator("#id_period_months").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("12 months", exact=True)).to_be_visible()
    check("order after variation")
    page.get_by_role("link", name="Record a breach or suspected breach").click()
    check("breach form")
    radio(page, "kind", "obstruction")
    fill_date(page, "occurred_on", made)
    page.locator("#id_reported_by").fill("PC 1234")
    radio(page, "investigation", "convicted")
    page.locator("#id_charge").fill("Obstructing a search, s.342G")
    page.locator("#id_sentence").select_option("conditional_discharge")
    page.get_by_role("button", name="Save").click()
    error("A conditional discharge is not available")
    page.locator("#id_sentence").select_option("fine")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Intentionally obstructing a search")).to_be_visible()
    page.get_by_role("link", name="Record a court decision").click()
    radio(page, "event", "discharged")
    fill_date(page, "event_on", today)
    page.locator("#id_applicant").select_option("offender")
    page.locator("#id_court").fill("Teesside Magistrates' Court")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Discharged", exact=True).first).to_be_visible()
    check("discharged order")

    # 7. Scrutiny: the figures, a panel's sample and its review.
    page.goto("/svro/scrutiny/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Scrutiny of Serious Violence Reduction Orders"
    )
    expect(page.get_by_text("fewer than 5").first).to_be_visible()
    check("scrutiny")
    # By area: the search counted where it happened (a small count, not shown).
    page.locator("#by").select_option(label="Local authority area")
    page.get_by_role("button", name="Show figures").click()
    searches = page.get_by_role("table", name="Searches and what they found")
    expect(
        searches.get_by_role("columnheader", name="Local authority area")
    ).to_be_visible()
    expect(searches.get_by_role("rowheader", name="Middlesbrough")).to_be_visible()
    check("scrutiny by area")
    page.goto("/svro/order-types/")
    check("order types and population figures")
    page.goto("/svro/samples/")
    check("samples")
    page.get_by_role("link", name="Draw a sample").click()
    check("sample form")
    page.locator("#id_panel").fill("Cleveland Stop and Search Scrutiny Panel")
    fill_date(page, "period_start", today - dt.timedelta(days=30))
    fill_date(page, "period_end", today)
    page.locator("#id_size").fill("5")
    page.locator("#id_seed").fill("42")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("CL-2026-0001")).to_be_visible()
    expect(page.get_by_text("The same searches")).to_be_visible()
    check("sample")
    page.get_by_role("link", name="Record the review").click()
    check("review form")
    radio(page, "video_watched", "yes")
    radio(page, "grounds", "met")
    radio(page, "conduct", "partly")
    page.locator("#id_feedback").fill("Clear grounds; the receipt was not offered.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Reviewed").locator("..")).to_contain_text("1 of 1")

    # 8. The transparency report, as a page, a tagged PDF and a workbook.
    page.goto("/svro/scrutiny/report/")
    expect(page.get_by_text("Transparency report")).to_be_visible()
    expect(
        page.get_by_role(
            "heading", name="Searches and what they found, by local authority area"
        )
    ).to_be_visible()
    check("transparency report")
    pdf = page.request.get("/svro/scrutiny/report.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")  # tagging: tests/integration/svro
    xlsx = page.request.get("/svro/scrutiny/export.xlsx")
    assert xlsx.ok
    book = load_workbook(io.BytesIO(xlsx.body()), read_only=True)
    assert "About" in book.sheetnames and len(book.sheetnames) > 5


def _checker(page, assert_accessible):
    def check(context):
        assert_accessible(page, context=f"({context}, 1280 px)")
        page.set_viewport_size(PHONE)
        assert_accessible(page, context=f"({context}, 390 px)")
        wide = page.evaluate(WIDEST)
        assert not wide, f"{context} scrolls sideways at 390 px: {wide}"
        page.set_viewport_size(DESKTOP)

    return check


def test_officer_links_a_holder_to_the_shared_person_record(
    page, make_user, sign_in, assert_accessible
):
    """A police officer on the multi-agency team (SVRO officer and practitioner)
    links the person on the register to their shared record, sees the link on both
    pages, and removes it."""
    from svduty.cases.models import PersonKind
    from tests.factories.cases import partnership_with, person_on_team
    from tests.factories.svro import make_order

    cleveland = force()
    svro_type()
    officer = make_user(
        agency=cleveland,
        roles=[Role.SVRO_OFFICER.value, Role.PRACTITIONER.value],
        full_name="Pat Officer",
    )
    order = make_order(officer)
    holder = order.holder
    person = person_on_team(
        officer,
        partnership=partnership_with(cleveland, name="Cleveland Partnership"),
        first_name="Jordan",
        last_name="Example",
        date_of_birth=holder.date_of_birth,
        kind=PersonKind.ADULT,
    )
    check = _checker(page, assert_accessible)
    page.set_viewport_size(DESKTOP)
    sign_in(page, officer)

    page.goto(f"/svro/people/{holder.pk}/")
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        "None linked that you can see"
    )
    page.get_by_role("link", name="Change shared person records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shared person records")
    check("person links")
    page.get_by_role("button", name="Link the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the record that is this person"
    )
    check("person links: error")
    page.get_by_label("Jordan Example, born").check()
    page.get_by_role("button", name="Link the record").click()
    expect(page.get_by_text("Linked to Jordan Example")).to_be_visible()
    check("holder with a link")

    # The person's record shows the orders they hold (panel loaded with htmx).
    page.locator(".govuk-summary-list").get_by_role(
        "link", name="Jordan Example"
    ).click()
    expect(
        page.get_by_role("heading", name="Orders held (police register)")
    ).to_be_visible()
    expect(
        page.get_by_role("link", name="Serious violence reduction order (SVRO)")
    ).to_be_visible()
    check("person's record with the orders panel")
    page.goto(f"/svro/person-records/{person.pk}/orders/")
    expect(page.get_by_role("link", name="Jordan Example", exact=True)).to_be_visible()
    check("orders panel page")

    # Remove the link: neither record changes.
    page.goto(f"/svro/people/{holder.pk}/person-records/")
    page.get_by_role("link", name="Remove the link to Jordan Example").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Remove the link to Jordan Example?"
    )
    check("remove link")
    page.get_by_role("button", name="Remove the link").click()
    expect(page.get_by_text("Link removed")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        "None linked that you can see"
    )


def test_lead_publishes_the_report_and_the_public_read_it(
    page, browser, live_server, make_user, sign_in, assert_accessible
):
    """The partnership lead publishes the transparency report; anyone, without
    signing in, finds it in the list of published reports and reads it (figures
    frozen at publication, small numbers suppressed) and its PDF."""
    cleveland = force()
    svro_type()
    officer = make_user(Role.SVRO_OFFICER, agency=cleveland)
    for index in range(3):
        make_holder(officer, name=f"Public Example {index}")
    # A lead whose partnership has Cleveland Police as a member may publish its report.
    lead = report_lead(make_user, cleveland, full_name="Lee Lead")
    check = _checker(page, assert_accessible)
    page.set_viewport_size(DESKTOP)
    sign_in(page, lead)
    page.goto("/svro/scrutiny/report/?months=12")
    page.get_by_role("link", name="Publish this report").click()
    expect(
        page.get_by_role("heading", name="Publish the transparency report")
    ).to_be_visible()
    check("publish the report")
    page.get_by_role("button", name="Publish the report").click()
    expect(page.get_by_text("The transparency report is published")).to_be_visible()

    public = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    public.set_default_timeout(PAGE_TIMEOUT_MS)
    anonymous = public.new_page()
    anonymous.set_viewport_size(DESKTOP)
    public_check = _checker(anonymous, assert_accessible)
    anonymous.goto("/transparency/svro/")
    public_check("published reports")
    anonymous.get_by_role("link", name="All forces").click()
    expect(
        anonymous.get_by_role("heading", name="(a) People made subject to an order")
    ).to_be_visible()
    expect(anonymous.get_by_text("Public Example")).to_have_count(0)
    expect(anonymous.get_by_text("fewer than 5").first).to_be_visible()
    public_check("published report")
    pdf = anonymous.request.get(anonymous.url + "report.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    csv = anonymous.request.get(anonymous.url + "report.csv")
    assert csv.ok and "fewer than 5" in csv.text()
    assert "Public Example" not in csv.text()
    xlsx = anonymous.request.get(anonymous.url + "report.xlsx")
    assert xlsx.ok and xlsx.body().startswith(b"PK")
    report_url = anonymous.url

    # The lead withdraws it, saying why; the public page then says so, and gives
    # neither the figures nor the downloads.
    page.get_by_role("link", name="Withdraw this report").click()
    expect(
        page.get_by_role("heading", name="Withdraw the transparency report")
    ).to_be_visible()
    check("withdraw the report")
    page.get_by_role("button", name="Withdraw the report").click()
    expect(page.get_by_text("Enter why the report is withdrawn").first).to_be_visible()
    check("withdraw the report, no reason")
    page.get_by_label("Why is the report withdrawn?").fill(
        "The period counted some searches twice: a corrected report follows."
    )
    page.get_by_role("button", name="Withdraw the report").click()
    expect(page.get_by_text("The transparency report is withdrawn")).to_be_visible()

    anonymous.goto(report_url)
    expect(
        anonymous.get_by_role("heading", name="This report has been withdrawn")
    ).to_be_visible()
    expect(anonymous.get_by_text("counted some searches twice")).to_be_visible()
    expect(anonymous.get_by_text("fewer than 5")).to_have_count(0)
    public_check("withdrawn report")
    assert anonymous.request.get(report_url + "report.csv").status == 410
    anonymous.goto("/transparency/svro/")
    expect(anonymous.get_by_text("withdrawn", exact=False).first).to_be_visible()
    public_check("published reports, one withdrawn")
    public.close()
