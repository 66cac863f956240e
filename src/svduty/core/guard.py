"""Guarded writes: an audited model refuses to be written outside its app's actions
(docs/developing.md, "Writing data"; issue 8).

A guarded model (`GuardedModel`, with a `GuardedQuerySet` behind its managers)
checks every `save()`, `delete()`, and queryset `update()`, `delete()`,
`bulk_create()` and `bulk_update()` (`create()` and `get_or_create()` go through
`save()`). The check walks the call stack outward from the write to the nearest
frame of svduty's or the tests' own code; Django's and other libraries' frames, this
module, the model's own app's `models` modules and the modules of the model's classes
(a `save()` override calling `super().save()`) are passed over. The write goes ahead
when that frame is in

- the model's app's actions: `svduty.<app>.actions`, `svduty.<app>.actions.*` or
  `svduty.<app>.actions_*` (an app with a second actions module, such as
  `partnership.actions_register`);
- a migration (`svduty.<app>.migrations.*`; historical models are not guarded
  anyway);
- a demo loader (`svduty.<app>.demo` or `svduty.<app>.demo_*`): synthetic data for
  the demo installation;
- the tests (`tests.*`): factories and fixtures build their objects directly. Code
  under test is judged by its own frame, so a view that writes directly is refused
  in the tests too;

or anywhere inside `with writes_allowed("why"):`, the escape hatch for anything
else that must write directly (say why). Otherwise `DirectWriteRefused` is raised.
Deletions cascading from another model are not seen (Django deletes them in SQL).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)

_allowed: ContextVar[str | None] = ContextVar("svduty_writes_allowed", default=None)


class DirectWriteRefused(RuntimeError):
    """A guarded model was written from outside its app's actions."""


@contextmanager
def writes_allowed(reason: str) -> Iterator[None]:
    """Let code that is not an action write guarded models (say why)."""
    if not reason.strip():
        raise ValueError("Say why direct writes are allowed here")
    token = _allowed.set(reason)
    try:
        yield
    finally:
        _allowed.reset(token)


def _app_package(model: type[models.Model]) -> str:
    # svduty.cases.models.people -> svduty.cases; svduty.partnership.registers ->
    # svduty.partnership (the app's package, wherever the model is defined)
    return str(model._meta.app_config.name)


def writer_of(model: type[models.Model], depth: int = 2) -> str | None:
    """The module of the nearest frame of svduty's or the tests' own code that is
    writing `model` (None when there is none: a Django shell, say)."""
    app = _app_package(model)
    own = {__name__, *(cls.__module__ for cls in model.__mro__)}
    frame: Any = sys._getframe(depth)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.startswith(("svduty.", "tests.")) and not (
            name in own or name.startswith(app + ".models")
        ):
            return str(name)
        frame = frame.f_back
    return None


def allowed(model: type[models.Model], writer: str | None) -> bool:
    if _allowed.get() is not None or writer is None:
        return True
    app = _app_package(model)
    return (
        writer == app + ".actions"
        or writer.startswith(
            (app + ".actions.", app + ".actions_", app + ".migrations.", "tests.")
        )
        or _DEMO.fullmatch(writer) is not None
    )


# svduty.<app>.demo or svduty.<app>.demo_<part> (sharing.demo_s17)
_DEMO = re.compile(r"svduty\.\w+\.demo(_\w+)?")


def check_write(model: type[models.Model], operation: str) -> None:
    if not issubclass(model, GuardedModel):
        return
    writer = writer_of(model, depth=3)
    if not allowed(model, writer):
        raise DirectWriteRefused(
            f"{model.__name__}.{operation} from {writer}: write "
            f"{model._meta.app_label} records through {_app_package(model)}.actions "
            "(or inside core.guard.writes_allowed, saying why)"
        )


class GuardedQuerySet(models.QuerySet[_M]):
    """Bulk writes of a guarded model go through the same check (a no-op for other
    models: `core.policies.PolicyQuerySet` is one of these, so every protected
    model's queryset is ready to be guarded)."""

    def update(self, **kwargs: Any) -> int:
        check_write(self.model, "update")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        check_write(self.model, "delete")
        return super().delete()

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[_M]:
        check_write(self.model, "bulk_create")
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Any, *args: Any, **kwargs: Any) -> int:
        check_write(self.model, "bulk_update")
        return super().bulk_update(objs, *args, **kwargs)


class GuardedModel(models.Model):
    """An audited model: written only by its app's actions (see the module). Its
    managers must build a `GuardedQuerySet` (`PolicyQuerySet` is one; otherwise
    `objects = GuardedQuerySet.as_manager()`); tests/unit/core/test_guard.py checks
    every guarded model."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        check_write(type(self), "save")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        check_write(type(self), "delete")
        return super().delete(*args, **kwargs)
