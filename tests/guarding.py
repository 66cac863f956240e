"""Helpers for the tests that an app's audited models refuse direct writes
(core.guard): run a write as if it were code in another module, and list an app's
guarded models."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from svduty.core.guard import DirectWriteRefused, GuardedModel

# Every kind of write the guard checks; each is refused before the database is asked.
WRITES = (
    "Model().save()",
    "Model.objects.create()",
    "Model(pk=1).delete()",
    "Model.objects.filter(pk=0).update(pk=0)",
    "Model.objects.filter(pk=0).delete()",
    "Model.objects.bulk_create([Model()])",
    "Model.objects.bulk_update([Model(pk=1)], ['pk'])",
)


def run_as(module: str, code: str, **names: object) -> None:
    """Run `code` as if it were written in `module` (a view, say)."""
    scope = {"__name__": module, **names}
    exec(code, scope)  # noqa: S102 - fixed code from the tests, run as another module


def guarded_models(app_label: str) -> set[type[models.Model]]:
    return {
        m
        for m in apps.get_app_config(app_label).get_models()
        if issubclass(m, GuardedModel)
    }


def assert_every_write_refused(model: type[models.Model], module: str) -> None:
    """Each kind of write to `model` from `module` raises DirectWriteRefused."""
    app = model._meta.app_config.name
    for code in WRITES:
        with pytest.raises(DirectWriteRefused, match=f"through {app}.actions"):
            run_as(module, code, Model=model)
