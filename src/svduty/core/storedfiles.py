"""Files written inside a database transaction that must not outlive it.

A file saved for a row (an uploaded document) is written before the row, inside the
transaction. If that transaction, or the savepoint the file was saved in, is rolled
back (by the action itself or by any caller around it), the row is gone and the
file would be left behind with nothing pointing to it.

`remove_on_rollback(path)` registers a commit callback for the file with Django
(`transaction.on_commit`). Django runs the callbacks of a committed transaction and
drops those of a rolled-back one or savepoint (and of a connection closed in a
transaction). The callback object owns a `weakref.finalize` that removes the file:
running the callback (commit) detaches it, so the file stays; a dropped callback
is freed at once (nothing else refers to it) and the finalizer removes the file.
Outside a transaction Django runs the callback at once, and the file stays.

A process killed in the middle of a transaction cannot run anything: that is the
one case left to the folder's owner to tidy (documented per app)."""

from __future__ import annotations

import logging
import weakref
from pathlib import Path

from django.db import transaction

logger = logging.getLogger(__name__)


def _remove(path: str) -> None:
    try:
        Path(path).unlink(missing_ok=True)
    except OSError:  # pragma: no cover - a file system fault while rolling back
        logger.exception("Could not remove %s after a rollback", path)


class _KeepOnCommit:
    """The commit callback: keeps the file (detaches the finalizer) when run."""

    def __init__(self, path: Path) -> None:
        self._finalizer = weakref.finalize(self, _remove, str(path))

    def __call__(self) -> None:
        self._finalizer.detach()


def remove_on_rollback(path: Path, *, using: str | None = None) -> None:
    """Remove `path` if the current transaction (or savepoint) is rolled back."""
    transaction.on_commit(_KeepOnCommit(path), using=using)
