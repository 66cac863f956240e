"""Every URL has an access-matrix entry; anonymous users are refused everywhere but
public pages; each role reaches exactly the pages its entry allows."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.urls import path, resolve, reverse

from svduty.core.authorisation import Permission, Role, permissions_for_roles
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
    # ctx.role: the role being checked, for entries whose object is per user (a
    # user's own API token).
    ctx = SimpleNamespace(agency=agency, users=users, role=Role.SYSTEM_ADMIN)
    for setup in setups():
        setup(ctx)
    return ctx


def _url(route: Route, ctx) -> str:
    return reverse(route.name, kwargs=route.kwargs(ctx) if route.kwargs else None)


def _call(client, route: Route, url: str):
    """POST the entry's data, or GET with it as the query string."""
    return getattr(client, route.method)(url, route.data)


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


def _outcome(route: Route, response) -> str | None:
    """None when an allowed role got what the entry says, else what went wrong."""
    status = response.status_code
    if route.redirects_to is not None:
        if status not in (301, 302):
            return f"{status}, expected a redirect to {route.redirects_to}"
        target = resolve(urlsplit(response["Location"]).path).view_name
        if target != route.redirects_to:
            return f"redirected to {target}, expected {route.redirects_to}"
        return None
    if status != route.expect:
        where = f" to {response['Location']}" if status in (301, 302) else ""
        return f"{status}{where}, expected {route.expect}"
    return None


@pytest.mark.parametrize(
    "route", [r for r in CHECKABLE if not r.public], ids=lambda r: r.name
)
def test_each_role_gets_what_its_entry_allows(client_for, matrix, route):
    """Allowed roles get the page itself (200, or the named redirect) on a real
    object in their scope; other roles are refused (403, or 404 for objects)."""
    problems = []
    for role, user in matrix.users.items():
        matrix.role = role
        response = _call(client_for(user), route, _url(route, matrix))
        if role in route.allowed:
            if (problem := _outcome(route, response)) is not None:
                problems.append(f"{role}: {problem}")
        elif response.status_code not in (403, 404):
            problems.append(f"{role} reached it: {response.status_code}")
    assert problems == [], f"{route.name}: {problems}"


@pytest.mark.parametrize(
    "route", [r for r in CHECKABLE if r.out_of_scope], ids=lambda r: r.name
)
def test_objects_out_of_scope_are_404_even_for_allowed_roles(client_for, matrix, route):
    """Auditors (VIEW_AUDIT) oversee the whole installation by design
    (`Partnership.objects.visible_to`, `cases.policies.can_see_access_log`): nothing
    is out of their scope, so they are not asked."""
    url = reverse(route.name, kwargs=route.out_of_scope(matrix))
    problems = []
    for role in sorted(route.allowed):
        if Permission.VIEW_AUDIT in permissions_for_roles([role]):
            continue
        response = _call(client_for(matrix.users[role]), route, url)
        if response.status_code != 404:
            problems.append(f"{role}: {response.status_code}")
    assert problems == [], f"{route.name} out of scope: {problems}"


#: Apps whose every page about one object names an out-of-scope object too.
OUT_OF_SCOPE_CHECKED = ("cases:", "partnership:", "strategy:")


def test_the_matrix_checks_objects_out_of_scope():
    missing = [
        r.name
        for r in CHECKABLE
        if r.kwargs
        and not r.public
        and r.name.startswith(OUT_OF_SCOPE_CHECKED)
        and r.out_of_scope is None
        and not r.name.startswith(("cases:screening_", "cases:language_rule"))
        and not r.name.startswith("cases:assessment_type")
    ]
    assert missing == [], f"name an out-of-scope object for {missing}"
