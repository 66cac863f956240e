"""Every URL has an access-matrix entry; anonymous users are refused everywhere but
public pages; each role reaches exactly the pages its entry allows."""

from __future__ import annotations

import dataclasses
import sys
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.urls import path, resolve, reverse

from svduty.core.authorisation import Permission, Role, permissions_for_roles
from tests.access import (
    NO_OUT_OF_SCOPE,
    Route,
    all_routes,
    missing_entries,
    setups,
    unchecked,
    url_names,
)

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


def _build_matrix():
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


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The matrix's users and objects, built once a module inside a transaction that
    is rolled back when the module ends. Each test runs in a savepoint of it
    (pytest-django's `db`), so whatever one test changes is undone before the next,
    as when the world was built for every test, which took most of half an hour."""
    from django.db import transaction

    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            ctx = _build_matrix()
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    yield ctx
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def matrix(matrix_world, db):
    # Objects are refetched by primary key from the URL, so a change a test made to
    # a row (rolled back since) does not leak through these Python objects; only
    # the per-role marker is reset here.
    matrix_world.role = Role.SYSTEM_ADMIN
    return matrix_world


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
    if route.out_of_scope_data is not None:
        route = dataclasses.replace(
            route, data={**route.data, **route.out_of_scope_data(matrix)}
        )
    problems = []
    for role in sorted(route.allowed):
        if Permission.VIEW_AUDIT in permissions_for_roles([role]):
            continue
        matrix.role = role
        response = _call(client_for(matrix.users[role]), route, url)
        if response.status_code != 404:
            problems.append(f"{role}: {response.status_code}")
    assert problems == [], f"{route.name} out of scope: {problems}"


def test_every_page_about_an_object_names_one_out_of_scope():
    assert unchecked(CHECKABLE) == [], (
        "name an out-of-scope object (out_of_scope=) for these, or say in "
        f"tests/access NO_OUT_OF_SCOPE why none exists: {unchecked(CHECKABLE)}"
    )


def test_out_of_scope_check_fails_for_a_page_about_an_object_without_one():
    """The test of the test: a new page about an object, with no out-of-scope
    object, is reported; naming one, or a documented reason, satisfies it."""
    new = Route("somewhere:thing", kwargs=lambda ctx: {"pk": 1})
    assert unchecked([new]) == ["somewhere:thing"]
    named = dataclasses.replace(new, out_of_scope=lambda ctx: {"pk": 2})
    assert unchecked([named]) == []
    assert unchecked([Route("somewhere:list")]) == []


def test_the_allow_list_names_only_real_entries_without_out_of_scope():
    stale = sorted(
        name
        for name in NO_OUT_OF_SCOPE
        if name not in ROUTES or ROUTES[name].out_of_scope is not None
    )
    assert stale == [], f"remove these from NO_OUT_OF_SCOPE: {stale}"
