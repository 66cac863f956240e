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
its forms: the world is the same for both, so the page is too."""

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
    closed = False
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
    return ctx


def open_world(blocker) -> SimpleNamespace:
    if WORLD.ctx is not None:
        return WORLD.ctx
    if WORLD.closed:
        raise RuntimeError(
            "the matrix world was closed before this test ran: tests/conftest.py "
            "should have run the tests that use it one after the other"
        )
    from django.db import transaction

    atomic = transaction.atomic()
    with blocker.unblock():
        atomic.__enter__()
        try:
            WORLD.ctx = build()
        except BaseException:
            atomic.__exit__(*sys.exc_info())
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
    WORLD.ctx = None
    WORLD.closed = True
    WORLD.pages.clear()


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
