"""Shared fixtures.

- `make_user(role, agency=...)`: a user with one role (and TOTP set up by default, so
  the MFA requirement is met) in an agency.
- `client_for(user)`: a Django test client signed in as `user` with MFA passed.
- `module_db`: a transaction around a whole module, for data its tests share.
- `media_root`: where every test's files go (a temporary folder of the run, set
  for the whole session).
- `real_data`: the real open data, vendored samples or the whole files, under the one
  policy of tests/real_data.py.
Tests under tests/integration are marked `integration`; tests under tests/functional
are marked `browser` (see tests/functional/conftest.py for the Playwright fixtures).
Tests that walk the access matrix (they use its world) are marked `walk`, as is the
API's schema fuzzer: .ci/run runs them on the embedded PostgreSQL only (their
requests go through the same views and ORM on any server version), and every other
integration test again on the machine's PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.real_data import RealData

REPO_ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.path)
        if _uses_matrix(item):
            item.add_marker(pytest.mark.walk)
        if "/tests/integration/" in path:
            item.add_marker(pytest.mark.integration)
        elif "/tests/functional/" in path:
            item.add_marker(pytest.mark.browser)


def pytest_collection_finish(session):
    # After every plugin's ordering and deselection (pytest-django's included).
    _matrix_together(session.items)


def _uses_matrix(item) -> bool:
    from tests.access.world import FIXTURE

    return FIXTURE in getattr(item, "fixturenames", ())


def _matrix_together(items) -> None:
    """The tests that walk the access matrix share one world (tests/access/world.py),
    open from the first of them to the last: run them one after the other, where the
    first of them would have run (after pytest-django's own ordering)."""
    matrix = [item for item in items if _uses_matrix(item)]
    if not matrix:
        return
    first = items.index(matrix[0])
    rest = [item for item in items if not _uses_matrix(item)]
    items[:] = rest[:first] + matrix + rest[first:]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Close the shared matrix world before the first test after the matrix walks,
    so that test sees the database as it would without them."""
    from tests.access.world import WORLD, close

    if WORLD.ctx is not None and not _uses_matrix(item):
        close()


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Files the tests store (uploads, evidence documents, snapshots) go to a folder
    of this run under pytest's temporary folder, never to var/data: the access
    matrix's world (built once a run) stores documents too, so a per-test
    `settings.MEDIA_ROOT` is not enough. Session-scoped and autouse, so it is in
    place before any other fixture of the session."""
    from django.test import override_settings

    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=root, SNAPSHOT_DIR=root / "snapshots"):
        yield root


@pytest.fixture(scope="session")
def real_data() -> RealData:
    """Real open data: `real_data.sample(path)` (vendored) or `real_data.full(path)`
    (../shared/data/real, skipped or failed by the policy in tests/real_data.py)."""
    return RealData()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, django_db_blocker
):
    """The test database is made from a migrated template when one exists for
    these migrations (tests/dbtemplate.py): the name of that template, or None."""
    from django.db import connection

    from tests import dbtemplate

    with django_db_blocker.unblock():
        return dbtemplate.use_if_present(connection.settings_dict)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_modify_db_settings):
    """The throw-away test database may have its audit table truncated: Django empties
    every table with TRUNCATE between transactional tests, which the audit trail's
    statement trigger otherwise refuses (audit migration 0002). A database that was
    migrated (no template yet) becomes the template first (tests/dbtemplate.py)."""
    from django.db import connection

    from tests import dbtemplate

    with django_db_blocker.unblock():
        dbtemplate.save(django_db_modify_db_settings, connection.settings_dict)
        name = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            cursor.execute(
                f'ALTER DATABASE "{name}" SET svduty.audit_truncate_allowed = on'
            )
            # This session too: ALTER DATABASE applies to sessions started after it.
            cursor.execute("SET svduty.audit_truncate_allowed = on")
            # A commit does not wait for its WAL to reach the disk: the test
            # database is thrown away, and only a crash of the server itself (never
            # a test's ending of a connection) could lose a committed transaction.
            # Live-server and transactional tests commit every request and empty
            # every table after each test.
            cursor.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
            cursor.execute("SET synchronous_commit = off")


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction open from the first test of a module to its last, for data
    that every test of the module reads and building it once is worth it: a
    module-scoped fixture that asks for `module_db` makes its rows inside (under
    `django_db_blocker.unblock()`), each test runs in a savepoint of it (pytest-django's
    `db`), so what one test changes is undone before the next, and the whole is
    rolled back after the module's last test. Only for modules whose tests all use
    `db` (a `transactional_db` test would empty the tables inside it). The access
    matrix's world (tests/access/world.py) is the same idea for several modules."""
    from django.db import transaction

    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def make_user(db):
    from svduty.core.authorisation import Role
    from tests.factories.accounts import AgencyFactory, UserFactory, give_totp

    def _make(
        role: Role | str | None = None,
        *,
        agency=None,
        agencies=None,
        mfa: bool = True,
        **kwargs,
    ):
        roles = [Role(role).value] if role else kwargs.pop("roles", [])
        user = UserFactory(
            roles=roles, agencies=agencies or [agency or AgencyFactory()], **kwargs
        )
        if mfa:
            # Kept on the object so browser tests can compute codes for sign-in.
            user.totp_secret = give_totp(user)
        return user

    return _make


@pytest.fixture
def client_for(db):
    from django.test import Client

    def _client(user):
        client = Client()
        client.force_login(user)
        # allauth's MFA stage is part of the real sign-in flow (browser tests cover it);
        # force_login stands for a completed sign-in.
        return client

    return _client
