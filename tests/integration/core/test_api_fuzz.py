"""Schemathesis against the OpenAPI schema (issue 14, build 3): every operation, as
every role, with generated valid and invalid parameters and bodies. No response may be
a 500, every error must be JSON, and no response may name a child the caller cannot
see.

The number of examples per operation and role is bounded so CI stays quick
(`SVDUTY_FUZZ_EXAMPLES`, 4 by default, derandomised so a run is repeatable); a
longer run: `SVDUTY_FUZZ_EXAMPLES=100 SVDUTY_FUZZ_ROLES=all pytest <this file>`."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner

# A walk over HTTP like the access matrix's (tests/conftest.py): .ci/run runs it on
# one PostgreSQL only.
pytestmark = [pytest.mark.django_db, pytest.mark.walk]

EXAMPLES = int(os.environ.get("SVDUTY_FUZZ_EXAMPLES", "4"))
#: CI asks as the roles whose scopes differ (children, orders, analysis, the whole
#: installation); SVDUTY_FUZZ_ROLES=all asks as every role.
ROLES = (
    list(Role)
    if os.environ.get("SVDUTY_FUZZ_ROLES") == "all"
    else [Role.PRACTITIONER, Role.SVRO_OFFICER, Role.ANALYST, Role.AUDITOR]
)
OUTSIDER = "Zebedee Outofscope"


def _schema():
    from drf_spectacular.generators import SchemaGenerator

    return schemathesis.openapi.from_dict(
        SchemaGenerator().get_schema(request=None, public=True)
    )


SCHEMA = _schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture(scope="module")
def tokens(module_db, django_db_blocker):
    """A token per role in one partnership with a child; a child of another
    partnership whose name must never come back. Made once for the module
    (`module_db`): each test's own changes are rolled back before the next."""
    with django_db_blocker.unblock():
        return _tokens()


def _tokens():
    from svduty.accounts.actions import create_token

    council = AgencyFactory(name="Fuzz Council")
    partnership = partnership_with(council, name="Fuzz Partnership")
    users = {role: practitioner(council, role=role) for role in Role}
    person_on_team(users[Role.PRACTITIONER], partnership=partnership)
    elsewhere = AgencyFactory(name="Elsewhere Council")
    first, last = OUTSIDER.split()
    person_on_team(
        practitioner(elsewhere),
        partnership=partnership_with(elsewhere, name="Elsewhere Partnership"),
        first_name=first,
        last_name=last,
    )
    result = {}
    for role, user in users.items():
        try:
            _, raw = create_token(by=user, name="fuzz")
        except Exception:  # noqa: BLE001 - roles without the API get no token
            raw = None
        result[role] = raw
    return result


@pytest.fixture
def wsgi_app():
    """The real WSGI application, without closing the test's database connection at
    the end of each request (as Django's test client does)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _json_errors_and_nothing_from_elsewhere(ctx, response, case):
    status = response.status_code
    if status >= 400:
        kind = next(
            (
                value[0] if isinstance(value, list) else value
                for name, value in response.headers.items()
                if name.lower() == "content-type"
            ),
            "",
        )
        assert "json" in kind, f"{status} answered with {kind}, not JSON"
    assert OUTSIDER.split()[1] not in response.text, "a child out of scope came back"


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize(
    "operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}"
)
def test_no_500_no_html_error_and_no_data_out_of_scope(
    tokens, wsgi_app, role, operation
):
    app = wsgi_app
    token = tokens[role]
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(app=app, headers=headers)
        case.validate_response(
            response,
            checks=[not_a_server_error, _json_errors_and_nothing_from_elsewhere],
        )

    run()
