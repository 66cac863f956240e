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
    for key in (first.session_key, "x" * 32, "%s%(a)s'; --", None):
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


def test_the_user_by_id_is_the_orms(make_user):
    # Django's authentication fetches the signed-in user with
    # User.objects.get(pk=<id>) on every request: compiled once per process, the
    # same instance as filtering for it.
    from svduty.accounts.models import User

    users = [make_user("practitioner"), make_user("auditor")]
    for user in users:
        fetched = User.objects.get(pk=user.pk)
        expected = User.objects.filter(pk=user.pk).get()
        columns = [f.attname for f in User._meta.concrete_fields]
        assert [getattr(fetched, c) for c in columns] == [
            getattr(expected, c) for c in columns
        ]
        assert fetched._state.adding is False and fetched._state.db == "default"
    with pytest.raises(User.DoesNotExist, match="User matching query does not exist"):
        User.objects.get(pk=max(u.pk for u in users) + 1000)
    # Any other lookup is the ORM's own.
    assert User.objects.get(username=users[0].username) == users[0]
    assert User.objects.get(pk=str(users[1].pk)) == users[1]
