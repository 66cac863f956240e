"""Per-request context for audit events: request id and client address.

Held in a context variable so that actions deep inside the code can audit without
every function having to pass the request along.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None


_NO_REQUEST = RequestContext()
# RequestContext is frozen, so sharing one default instance is safe.
current = contextvars.ContextVar("svduty_audit_request", default=_NO_REQUEST)  # noqa: B039
