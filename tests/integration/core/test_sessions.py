"""svduty.core.sessions reads sessions as Django's database backend does (issue 15:
the read is compiled once per process)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from svduty.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_engine_is_ours():
    assert settings.SESSION_ENGINE == "svduty.core.sessions"


def test_a_session_reads_as_djangos_and_an_expired_or_unknown_one_is_empty():
    first = DjangoStore()
    first["user"] = "someone"
    first["n"] = 1
    first.create()
    second = DjangoStore()
    second["user"] = "another"
    second.create()
    for store in (first, second):
        ours = SessionStore(session_key=store.session_key)
        assert ours.load() == DjangoStore(session_key=store.session_key).load()
        assert ours.session_key == store.session_key
    Session.objects.filter(session_key=first.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    for key in (first.session_key, "x" * 32, None):
        ours = SessionStore(session_key=key)
        assert ours.load() == {}
        assert ours.session_key is None


def test_a_signed_in_page_reads_its_session(client_for, make_user):
    user = make_user("practitioner")
    http = client_for(user)
    response = http.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user == user
    Session.objects.all().delete()
    assert http.get("/").wsgi_request.user.is_authenticated is False
