"""Concurrency (issue 14, build 8): a form sent twice gives one result.

A double click sends the same rendered form twice, often at the same moment. The
posts here carry the CSRF token of one drawing of the "add a child" page, as a
browser's do, and are sent one after the other and at the same moment from two
threads with their own PostgreSQL connections: one child is added, both answers send
the user to that child, and neither is a 500. The same answers in a form drawn again
are a new submission and are done (the guard is about one rendered form)."""

from __future__ import annotations

import copy
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from svduty.cases.models import Person
from svduty.core.submissions import TWICE
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, practitioner
from tests.integration.core.test_faults import _new_child_form

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _drawn_form(client: Client, partnership, last: str) -> dict:
    """The "add a child" form as a browser sends it from one drawing of the page."""
    page = client.get(reverse("cases:person_new"))
    assert page.status_code == 200
    token = TOKEN.search(page.content.decode()).group(1)
    return _new_child_form(partnership, "Dee", last) | {"csrfmiddlewaretoken": token}


@pytest.fixture
def world(transactional_db):
    council = AgencyFactory(name="Double Council")
    partnership = partnership_with(council, name="Double Partnership")
    return practitioner(council), partnership


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_adds_one_child(world):
    user, partnership = world
    client = _client(user)
    form = _drawn_form(client, partnership, "Twice")
    url = reverse("cases:person_new")
    first = client.post(url, form)
    second = client.post(url, form, follow=True)
    assert first.status_code == 302, first.content[:300]
    assert second.redirect_chain[0] == (first["Location"], 302)
    assert TWICE in second.content.decode()
    assert Person.objects.filter(last_name="Twice").count() == 1
    # The same answers typed into the form drawn again: the user means it.
    again = client.post(url, _drawn_form(client, partnership, "Twice"))
    assert again.status_code == 302
    assert Person.objects.filter(last_name="Twice").count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_the_same_moment_adds_one_child(world):
    user, partnership = world
    browser = _client(user)
    form = _drawn_form(browser, partnership, "Together")
    url = reverse("cases:person_new")
    barrier = threading.Barrier(2, timeout=120)
    answers: dict[int, object] = {}

    def send(n: int) -> None:
        try:
            # The same signed-in session and CSRF cookie, as two tabs of one
            # browser have.
            client = Client(enforce_csrf_checks=True, raise_request_exception=False)
            client.cookies = copy.deepcopy(browser.cookies)
            barrier.wait()
            answers[n] = client.post(url, form)
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            answers[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    statuses = sorted(getattr(a, "status_code", repr(a)) for a in answers.values())
    assert statuses == [302, 302], answers
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Person.objects.filter(last_name="Together").count() == 1
