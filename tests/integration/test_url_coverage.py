"""Every URL has an access-matrix entry; anonymous users are refused everywhere but
public pages; each role reaches exactly the pages its entry allows."""

from __future__ import annotations

import dataclasses
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import Resolver404, path, resolve, reverse

from svduty.core.authorisation import Permission, Role, permissions_for_roles
from tests.access import (
    NO_OUT_OF_SCOPE,
    Route,
    all_routes,
    missing_entries,
    unchecked,
    url_names,
    world,
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


@pytest.fixture(scope="session")
def matrix_world(django_db_setup, django_db_blocker):
    """The matrix's users and objects, built once a run and shared by the tests that
    walk the matrix (tests/access/world.py): session-scoped, so it is set up before
    any test's own transaction."""
    ctx = world.open_world(django_db_blocker)
    yield ctx
    world.close()


@pytest.fixture
def matrix(matrix_world, db):
    # Objects are refetched by primary key from the URL, so a change a test made to
    # a row (rolled back since) does not leak through these Python objects; only
    # the per-role marker is reset here.
    if world.WORLD.ctx is None:
        raise RuntimeError("the shared matrix world is closed (tests/access/world.py)")
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
def test_each_role_gets_what_its_entry_allows(matrix, route):
    """Allowed roles get the page itself (200, or the named redirect) on a real
    object in their scope; other roles are refused (403, or 404 for objects)."""
    problems = []
    for role in matrix.users:
        matrix.role = role
        url = _url(route, matrix)
        response = _call(world.client(role), route, url)
        if role in route.allowed:
            if route.method == "get":
                world.remember(role, url, route.data, response)
            if (problem := _outcome(route, response)) is not None:
                problems.append(f"{role}: {problem}")
        elif response.status_code not in (403, 404):
            problems.append(f"{role} reached it: {response.status_code}")
    assert problems == [], f"{route.name}: {problems}"


@pytest.mark.parametrize(
    "route", [r for r in CHECKABLE if r.out_of_scope], ids=lambda r: r.name
)
def test_objects_out_of_scope_are_404_even_for_allowed_roles(matrix, route):
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
        response = _call(world.client(role), route, url)
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


HREF = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*>', re.IGNORECASE)


def shown_links(html: str) -> list[str]:
    """The same-site addresses of the links a page shows (not in-page anchors,
    static files or other sites)."""
    links = []
    for tag_href in HREF.finditer(html):
        href = unescape(tag_href.group(1)).strip()
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith("/static/"):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def _link_case(link: str) -> tuple:
    """Links to the same view with the same query keys are one case (every row of a
    list links to its record the same way)."""
    parts = urlsplit(link)
    try:
        target = resolve(parts.path).view_name
    except Resolver404:
        target = parts.path
    return (target, tuple(sorted(dict(parse_qsl(parts.query)))))


#: Where a link may lead on by design: allauth asks for the password again before
#: changing a second factor (a session signed in long enough ago), then goes on.
FLOWS = ("/accounts/reauthenticate/", "/accounts/2fa/reauthenticate/")


def broken_links(client, role, html: str, followed: set) -> list[tuple[str, str]]:
    """The links on the page that do not open a page for the client's user, each
    with what it answered; `followed` keeps the cases already followed."""
    broken = []
    for link in shown_links(html):
        case = (role, *_link_case(link))
        if case in followed:
            continue
        followed.add(case)
        response = client.get(link)
        status = response.status_code
        if status in (301, 302, 303) and response["Location"].startswith(FLOWS):
            continue
        if status != 200:
            to = f" to {response['Location']}" if status in (301, 302, 303) else ""
            broken.append((link, f"answered {status}{to}"))
    return broken


def test_every_link_a_page_shows_works_for_whoever_sees_it(matrix):
    """Every link on every page, as each role the page allows sees it, opens a page
    for that role: 200, not a redirect, a refusal or a missing page. (The demo's
    crawler, benchmarks/bench_day.py, found links that answered 302 or 403.) One
    link per view and role is followed; the pages come from the walks above when
    they ran in this session."""
    problems = []
    followed: set[tuple] = set()
    pages = 0
    for route in CHECKABLE:
        if route.public or route.method != "get" or route.redirects_to is not None:
            continue
        for role in sorted(route.allowed):
            matrix.role = role
            client = world.client(role)
            url = _url(route, matrix)
            html = world.page(client, role, url, route.data)
            if html is None:
                continue
            pages += 1
            for link, problem in broken_links(client, role, html, followed):
                problems.append(f"{role} on {route.name} ({url}): {link} {problem}")
    print(f"{len(followed)} links followed from {pages} pages")
    assert pages > 200, f"only {pages} pages opened: is the walk broken?"
    assert problems == [], "\n".join(problems)


def test_the_link_check_finds_a_link_that_redirects(matrix):
    """The test of the test: a page showing a link that answers 302 (the old
    sign-out link, sent home for a GET), one that is refused and one to nowhere are
    all reported."""
    html = (
        '<a href="/signed-out/timed-out/">out</a> <a href="/admin-nowhere/">x</a> '
        '<a href="#main">skip</a> <a href="https://example.org/">away</a>'
    )
    assert shown_links(html) == ["/signed-out/timed-out/", "/admin-nowhere/"]
    client = world.client(Role.PRACTITIONER)
    home = '<a href="/">home</a>'
    broken = broken_links(client, Role.PRACTITIONER, html + home, set())
    assert [(link, problem.split()[1]) for link, problem in broken] == [
        ("/signed-out/timed-out/", "302"),
        ("/admin-nowhere/", "404"),
    ]


def _signed_in(client) -> bool:
    return client.get(reverse("core:home")).wsgi_request.user.is_authenticated


def test_the_shared_clients_are_signed_in_even_after_a_sign_out(matrix):
    """The test of the walks' shared clients (tests/access/world.py, `client`): a
    request that signs the user out leaves neither the rest of the test nor the
    next test with a signed-out client."""
    client = world.client(Role.PRACTITIONER)
    assert _signed_in(client)
    client.post(reverse("account_logout"))
    assert not _signed_in(client)  # signed out indeed
    assert _signed_in(world.client(Role.PRACTITIONER))


def test_the_next_test_has_the_shared_session_back(matrix):
    """Runs after the one above: its sign-out was rolled back with it, so the world's
    own session (signed in once a run) serves again, not one signed in afresh."""
    client = world.client(Role.PRACTITIONER)
    assert client is world.WORLD.clients[Role.PRACTITIONER, True]
    assert _signed_in(client)
