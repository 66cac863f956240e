"""The data protection officer answers a subject access request in a real browser
(issue 14, point 11): finds the person (a child's record and, linked to it, an order
holder on the police register), starts the request, reviews what every app holds,
withholds an item and downloads the pack as a PDF. axe-core on every page at 1280
and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role
from svduty.svro.models import PersonLink
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner
from tests.factories.svro import force, make_holder

pytestmark = pytest.mark.django_db(transaction=True)


def at_both_widths(page, check, context: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        check(page, context=f"({context}, {width} px)")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_dpo_finds_reviews_and_exports_a_pack(
    page, make_user, sign_in, assert_accessible
):
    council = AgencyFactory(name="Journey Council")
    partnership = partnership_with(council, name="Journey Partnership")
    worker = practitioner(council, full_name="Wendy Worker")
    child = person_on_team(
        worker, partnership=partnership, first_name="Morgan", last_name="Requester"
    )
    officer = make_user(Role.SVRO_OFFICER, agency=force())
    holder = make_holder(officer, name="Morgan Requester", reference="SVRO-MR-1")
    PersonLink.objects.create(holder=holder, person=child, linked_by=officer)
    dpo = make_user(Role.AUDITOR)

    sign_in(page, dpo)
    page.goto("/data-protection/")
    page.get_by_role("link", name="Subject access requests").click()
    at_both_widths(page, assert_accessible, "subject access requests")
    page.get_by_label("Name or identifier of the person").fill("Morgan Requester")
    page.get_by_role("button", name="Find the person").click()
    expect(page.get_by_text("Child's record")).to_be_visible()
    expect(page.get_by_text("Order holder (police register)")).to_be_visible()
    at_both_widths(page, assert_accessible, "people found")
    start = page.get_by_role("button", name="Start a request for Morgan Requester")
    start.first.click()

    heading = page.get_by_role("heading", name="Morgan Requester", level=1)
    expect(heading).to_be_visible()
    expect(
        page.get_by_role(
            "heading", name="Serious violence reduction orders (police register)"
        )
    ).to_be_visible()
    at_both_widths(page, assert_accessible, "review")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("Your review has been saved")).to_be_visible()
    at_both_widths(page, assert_accessible, "reviewed")

    with page.expect_download() as download:
        page.get_by_role("button", name="Export the pack (PDF)").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    event = AuditEvent.objects.get(action=AuditAction.DISCLOSURE)
    assert event.detail["format"] == "pdf"
    assert f"svro.holder:{holder.pk}" in event.detail["records"]
