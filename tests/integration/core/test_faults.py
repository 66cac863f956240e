"""Faults (issue 14, build 7): the database going away in the middle of a request,
and an import whose worker is killed half-way.

The database is made to go away the way a restart or a network cut does it to a
running service: the server ends the request's connection (`pg_terminate_backend`
from another connection) between two writes of one action. The user gets a clear
503 page, nothing of the action is saved, and the next request works without
restarting anything."""

from __future__ import annotations

from unittest import mock

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.cases.models import Person
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, practitioner


def _other_connection() -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        autocommit=True,
    )


def _terminate(pid: int) -> None:
    with _other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _request_ended() -> None:
    """What Django does when a request ends in production: close a connection that
    had an error and is no longer usable (the test client leaves this out, so that
    a test's own connection survives its requests)."""
    close_old_connections()


@pytest.fixture
def signed_in(transactional_db):
    council = AgencyFactory(name="Fault Council")
    partnership = partnership_with(council, name="Fault Partnership")
    user = practitioner(council)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client, partnership


def _new_child_form(partnership, first: str, last: str) -> dict:
    """The "add a child" form filled in: the first choice offered for each required
    choice, the names given."""
    from django import forms

    from svduty.cases.forms import PersonForm

    data: dict = {"partnership": partnership.pk, "confirm_new": "1"}
    form = PersonForm(partnerships=type(partnership).objects.all())
    for name, field in form.fields.items():
        if name in data or not field.required:
            continue
        if isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.ModelChoiceField
        ):
            data[name] = next(str(v) for v, _ in field.choices if v)
    return data | {"first_name": first, "last_name": last}


@pytest.mark.django_db(transaction=True)
def test_the_database_going_away_mid_request_is_a_503_with_nothing_saved(signed_in):
    client, partnership = signed_in
    url = reverse("cases:person_new")
    # The same form, sent while the database stays: the record is made. (So the
    # 503 below is the fault's doing, not a form the action would refuse.)
    done = client.post(url, _new_child_form(partnership, "Ada", "Stays"))
    assert done.status_code == 302, done.content[:500]
    assert Person.objects.filter(last_name="Stays").exists()

    from svduty.cases.actions import people

    real_record = people.record

    def connection_lost_then_record(*args, **kwargs):
        # The child and the case team row are written; the server now ends this
        # connection before the audit event is.
        _terminate(connection.connection.info.backend_pid)
        return real_record(*args, **kwargs)

    events_before = AuditEvent.objects.count()
    with mock.patch.object(people, "record", connection_lost_then_record):
        response = client.post(url, _new_child_form(partnership, "Ada", "Vanishes"))
    assert response.status_code == 503
    assert response["Retry-After"]
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "none of it was saved" in page

    # Recovery without a restart: the broken connection is closed when the request
    # ends; the next query connects afresh.
    _request_ended()
    assert not Person.objects.filter(last_name="Vanishes").exists()
    assert AuditEvent.objects.count() == events_before
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_database_going_away_under_the_api_is_a_json_503(signed_in):
    client, _ = signed_in
    from svduty.cases import api

    def lost(*args, **kwargs):
        _terminate(connection.connection.info.backend_pid)
        connection.cursor().execute("SELECT 1")

    with mock.patch.object(api.PersonSearch, "initial", lost):
        response = client.get("/api/cases/people/search/?q=ada")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 503
    _request_ended()
    assert client.get("/api/cases/people/search/?q=ada").status_code == 200
