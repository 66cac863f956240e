"""Optimistic locking for records that several agencies edit (convention 2).

Each such model has a `version` column. A form carries the version the user opened;
the action locks the row (`select_for_update`), compares, and refuses with a clear
message if someone else saved in between. Nothing is silently overwritten.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

_M = TypeVar("_M", bound=models.Model)

STALE_MESSAGE = (
    "Someone else changed this record since you opened it. "
    "Check their changes, then make yours again."
)


class StaleRecord(ValidationError):
    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE, code="stale")


def lock(obj: _M, expected_version: int | None = None) -> _M:
    """Re-read `obj` with a row lock; raise StaleRecord if its version moved on."""
    locked: Any = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if expected_version is not None and locked.version != int(expected_version):
        raise StaleRecord
    result: _M = locked
    return result


def bump(obj: Any) -> None:
    """Advance the version; call before saving a locked record."""
    obj.version = (obj.version or 0) + 1
