"""The access matrix's world (users of every role and the objects each app's entry
needs), built once per test run and shared by every test that walks the matrix:
tests/integration/test_url_coverage.py, test_audit_coverage.py and test_form_fuzz.py.

It is built inside a transaction that is rolled back when the last test that uses it
has run (`close`), so nothing of it outlives them. Each test runs in a savepoint of
that transaction (pytest-django's `db`), so whatever one test changes is undone
before the next, as if the world were built for each test (which took most of half
an hour). tests/conftest.py runs the tests that use it one after the other, and
closes it before the first test that does not.

Pages fetched by one of those tests are kept (`page`), by role, address and query,
so that a page the audit walk opened is not opened again by the form fuzzer to read
its forms: the world is the same for both, so the page is too.

Each role's user is signed in once, when the world is built (`client`): the walks
make about ten thousand requests, and signing in for each (a session, the user
session row, the sign-in audit event) was a large part of their time. The session is
made inside the world's transaction, so a test's rollback never removes it, and
whatever a request does to it (sign-out, a changed key) is rolled back with the
test; `client` gives the session cookie back to the client before each use and signs
in afresh only if the session is gone within the test. The session idle limit
(30 minutes, tested in tests/integration/accounts) is lifted to the absolute limit
while the world is open, since the requests' own updates of the last activity are
rolled back and a slow run of the walks can take longer than that."""

from __future__ import annotations

import sys
import zlib
from types import SimpleNamespace
from typing import Any

from svduty.core.authorisation import Role

from . import setups

FIXTURE = "matrix_world"


class _World:
    ctx: Any = None
    atomic: Any = None
    blocker: Any = None
    settings: Any = None
    closed = False
    #: The session key of each role's user, signed in when the world was built.
    sessions: dict[Role, str] = {}
    clients: dict[tuple[Role, bool], Any] = {}
    # Compressed: every page as every role it allows is a few thousand pages.
    pages: dict[tuple, bytes | None] = {}


WORLD = _World()


def build() -> SimpleNamespace:
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
    _sign_in(users)
    return ctx


def _sign_in(users) -> None:
    from django.conf import settings
    from django.test import Client

    for role, user in users.items():
        signed_in = Client()
        signed_in.force_login(user)
        WORLD.sessions[role] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value


def client(role, *, raise_request_exception: bool = True):
    """A test client signed in as the world's user of `role` (with MFA passed, as
    `client_for` in tests/conftest.py), the same one for every test of the walk."""
    from http.cookies import SimpleCookie
    from importlib import import_module

    from django.conf import settings
    from django.test import Client

    if WORLD.ctx is None:
        raise RuntimeError("the shared matrix world is closed (tests/access/world.py)")
    key = WORLD.sessions[role]
    cached = WORLD.clients.get((role, raise_request_exception))
    if cached is None:
        cached = Client(raise_request_exception=raise_request_exception)
        WORLD.clients[role, raise_request_exception] = cached
    # Only the session: a cookie an earlier test's response set (a message, a
    # changed session key) must not follow into the next test.
    cached.cookies = SimpleCookie()
    cached.cookies[settings.SESSION_COOKIE_NAME] = key
    if import_module(settings.SESSION_ENGINE).SessionStore().exists(key):
        return cached
    # Signed out earlier in this test (its rollback brings the session back for the
    # next test): a session of this test's own.
    fresh = Client(raise_request_exception=raise_request_exception)
    fresh.force_login(WORLD.ctx.users[role])
    return fresh


def open_world(blocker) -> SimpleNamespace:
    if WORLD.ctx is not None:
        return WORLD.ctx
    if WORLD.closed:
        raise RuntimeError(
            "the matrix world was closed before this test ran: tests/conftest.py "
            "should have run the tests that use it one after the other"
        )
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings

    WORLD.settings = override_settings(
        SESSION_IDLE_TIMEOUT=settings.SESSION_ABSOLUTE_TIMEOUT
    )
    WORLD.settings.enable()
    atomic = transaction.atomic()
    with blocker.unblock():
        atomic.__enter__()
        try:
            WORLD.ctx = build()
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            WORLD.settings.disable()
            raise
    WORLD.atomic, WORLD.blocker = atomic, blocker
    return WORLD.ctx


def close() -> None:
    if WORLD.ctx is None:
        return
    from django.db import transaction

    with WORLD.blocker.unblock():
        transaction.set_rollback(True)
        WORLD.atomic.__exit__(None, None, None)
    WORLD.settings.disable()
    WORLD.ctx = None
    WORLD.closed = True
    WORLD.pages.clear()
    WORLD.sessions.clear()
    WORLD.clients.clear()


def page(client, role, url: str, data: dict) -> str | None:
    """The page's HTML as `role` sees it (None unless a 200 HTML page), fetched once
    per run."""
    key = (role, url, tuple(sorted((k, str(v)) for k, v in (data or {}).items())))
    if key not in WORLD.pages:
        response = client.get(url, data)
        WORLD.pages[key] = _packed(html_of(response))
    packed = WORLD.pages[key]
    return None if packed is None else zlib.decompress(packed).decode()


def remember(role, url: str, data: dict, response) -> None:
    """Keep a page another test fetched (its own way) for `page`."""
    key = (role, url, tuple(sorted((k, str(v)) for k, v in (data or {}).items())))
    if key not in WORLD.pages:
        WORLD.pages[key] = _packed(html_of(response))


def _packed(html: str | None) -> bytes | None:
    return None if html is None else zlib.compress(html.encode(), 1)


def html_of(response) -> str | None:
    if response.status_code != 200 or response.streaming:
        return None
    if "html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode("utf-8", "replace")
