"""Every URL has an access-matrix entry; anonymous users are refused everywhere but
public pages; each role reaches exactly the pages its entry allows."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import path, reverse

from svduty.core.authorisation import Role
from tests.access import Route, all_routes, missing_entries, setups, url_names

ROUTES = all_routes()


def test_every_url_pattern_has_an_access_matrix_entry():
    missing = missing_entries(url_names(), ROUTES)
    assert missing == [], f"Add these URLs to tests/access/: {missing}"


def test_matrix_has_no_entries_for_urls_that_no_longer_exist():
    stale = sorted(set(ROUTES) - set(url_names()))
    assert stale == [], f"Remove these from tests/access/: {stale}"


def test_coverage_check_fails_when_an_unlisted_url_is_added():
    """The test of the test: a new pattern with no entry is reported."""

    def new_view(request):  # pragma: no cover - never called
        raise AssertionError

    patterns = [path("brand-new-page/", new_view, name="brand_new_page")]
    names = url_names() + url_names(patterns, prefix="somewhere:")
    assert missing_entries(names, ROUTES) == ["somewhere:brand_new_page"]


@pytest.fixture
def matrix(db):
    from tests.factories.accounts import AgencyFactory, UserFactory, give_totp

    agency = AgencyFactory(name="Matrix Agency")
    users = {}
    for role in Role:
        user = UserFactory(
            username=f"matrix-{role.value}", roles=[role.value], agencies=[agency]
        )
        give_totp(user)
        users[role] = user
    ctx = SimpleNamespace(agency=agency, users=users)
    for setup in setups():
        setup(ctx)
    return ctx


def _url(route: Route, ctx) -> str:
    return reverse(route.name, kwargs=route.kwargs(ctx) if route.kwargs else None)


def _call(client, route: Route, url: str):
    method = getattr(client, route.method)
    return method(url, route.data) if route.method == "post" else method(url)


CHECKABLE = [r for r in ROUTES.values() if not r.flow_only]


@pytest.mark.parametrize(
    "route", [r for r in CHECKABLE if not r.public], ids=lambda r: r.name
)
def test_anonymous_request_is_refused(client, matrix, route):
    response = _call(client, route, _url(route, matrix))
    if response.status_code in (301, 302):
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code in (401, 403), response.status_code


@pytest.mark.parametrize(
    "route", [r for r in CHECKABLE if r.public], ids=lambda r: r.name
)
def test_public_page_answers_without_sign_in(client, matrix, route):
    response = _call(client, route, _url(route, matrix))
    assert response.status_code in (200, 204, 302, 404), response.status_code
    if response.status_code == 302:
        assert "/accounts/login/" not in response["Location"]


@pytest.mark.parametrize(
    "route", [r for r in CHECKABLE if not r.public], ids=lambda r: r.name
)
def test_each_role_gets_what_its_entry_allows(client_for, matrix, route):
    for role, user in matrix.users.items():
        response = _call(client_for(user), route, _url(route, matrix))
        if role in route.allowed:
            assert response.status_code not in (401, 403), (
                f"{role} refused {route.name}"
            )
            if response.status_code == 302:
                assert "/accounts/login/" not in response["Location"], (
                    f"{role} sent to sign-in"
                )
        else:
            assert response.status_code in (403, 404), (
                f"{role} reached {route.name}: {response.status_code}"
            )
