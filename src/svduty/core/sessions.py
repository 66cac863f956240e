"""Django's database sessions, read with a query compiled once per process.

Every signed-in request reads its session first; building and compiling that
``Session.objects.get(session_key=…, expire_date__gt=now)`` with the ORM cost more
than running it (issue 15). The same rows, table and format as
``django.contrib.sessions.backends.db`` (`SESSION_ENGINE` names this module);
only the read goes through `svduty.core.compiled`."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from svduty.core import compiled


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if not key:
            self._session_key = None
            return None
        model = self.model

        def build(*, key: str, now: Any) -> Any:
            return model.objects.filter(session_key=key, expire_date__gt=now)[:2]

        rows = compiled.run(
            ("sessions.load", model._meta.label),
            build,
            {"key": key, "now": timezone.now()},
        )
        if not rows:
            self._session_key = None
            return None
        return rows[0]
