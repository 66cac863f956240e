"""core views: public pages, keep-alive, timed-out, and the error handlers."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("core:home", "Work together to prevent serious violence"),
        ("core:accessibility", "Accessibility statement for svduty"),
        ("core:privacy", "Privacy notice"),
        ("core:cookies", "Cookies"),
    ],
)
def test_public_pages(client, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_accessibility_statement_has_the_model_sections(client):
    html = client.get(reverse("core:accessibility")).content.decode()
    for section in (
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Equality and Human Rights Commission",
        "Compliance status",
        "Preparation of this accessibility statement",
        "27 November 2026",
        "2.2",
    ):
        assert section in html


def test_cookies_page_names_the_real_cookies(client, settings):
    html = client.get(reverse("core:cookies")).content.decode()
    assert settings.SESSION_COOKIE_NAME in html
    assert settings.CSRF_COOKIE_NAME in html


def test_dashboard_for_signed_in_user(make_user, client_for):
    client = client_for(make_user("analyst"))
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Home</h1>' in html
    assert ">Sign out</button>" in html


def test_keep_alive_needs_a_session(client):
    response = client.post(reverse("core:keep_alive"))
    assert response.status_code == 401
    assert response.content == b""


def test_keep_alive_for_signed_in_user(make_user, client_for):
    client = client_for(make_user("practitioner"))
    response = client.post(reverse("core:keep_alive"))
    assert response.status_code == 204


def test_keep_alive_is_post_only(make_user, client_for):
    client = client_for(make_user("practitioner"))
    assert client.get(reverse("core:keep_alive")).status_code == 405


def test_timed_out_page_signs_out_on_post(make_user, client_for):
    client = client_for(make_user("analyst"))
    response = client.post(reverse("core:timed_out"), follow=True)
    assert response.redirect_chain == [(reverse("core:timed_out"), 302)]
    html = response.content.decode()
    assert "You have been signed out" in html
    assert "30 minutes" in html
    assert "_auth_user_id" not in client.session


def test_a_get_never_signs_out(make_user, client_for):
    """Any link or image could point at the page: only a POST may end a session."""
    client = client_for(make_user("analyst"))
    response = client.get(reverse("core:timed_out"))
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert "_auth_user_id" in client.session


def test_timed_out_page_for_a_signed_out_visitor(client):
    response = client.get(reverse("core:timed_out"))
    assert response.status_code == 200
    assert "You have been signed out" in response.content.decode()


def test_unknown_address_is_page_not_found(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_page_not_found_tells_a_signed_in_user_how_to_ask_for_access(
    make_user, client_for
):
    """Issue 16, point 8: a hint that access can be asked for, the same for a wrong
    address and a record out of scope (nothing says which)."""
    from svduty.core.authorisation import Role

    page = client_for(make_user(Role.PRACTITIONER)).get("/no-such-page/")
    assert page.status_code == 404
    text = page.content.decode()
    assert "If someone sent you this link" in text and "/children/search/" in text
    # Someone who may not search for children is not sent to a page that refuses.
    page = client_for(make_user(Role.ANALYST)).get("/no-such-page/")
    text = page.content.decode()
    assert "If someone sent you this link" in text
    assert "/children/search/" not in text
    assert "tell the person who sent it" in text


def test_the_icon_is_found_on_every_page_not_a_404(client, settings):
    """Issue 16, point 9: the favicon was a 404 on every page. The icon the pages
    link to and the /favicon.ico browsers ask for both lead to a real file."""
    import re

    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert finders.find(response["Location"].removeprefix(settings.STATIC_URL))
    page = client.get(reverse("core:accessibility")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert icon and finders.find(icon.group(1).removeprefix(settings.STATIC_URL))
