"""Erase a record with everything that belongs to it, in whatever app (issue 14).

The privacy app imports no domain app, so it finds what refers to a record through
Django's model metadata: every row whose foreign key points at the record is erased
too (its own dependants first), except that a nullable reference the record does not
own (`SET_NULL`, or a nullable `PROTECT` such as a meeting's agenda item about a child)
is cleared instead, so the meeting survives without the child.

Row history (django-pghistory) copies every version of a row, so erasing a record also
deletes the history of each erased row, including the "deleted" event the history
triggers write as the rows go. Without this, the content would survive in the history
tables.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from django.apps import apps
from django.db import models


def _is_history(model: type[models.Model]) -> bool:
    return getattr(model, "pgh_tracked_model", None) is not None


@cache
def _history_models(model: type[models.Model]) -> tuple[type[models.Model], ...]:
    concrete = model._meta.concrete_model
    return tuple(
        candidate
        for candidate in apps.get_models()
        if _is_history(candidate)
        and getattr(candidate, "pgh_tracked_model", None) in (model, concrete)
        and any(f.name == "pgh_obj" for f in candidate._meta.fields)
    )


def _owned_by(field: models.ForeignKey) -> bool:
    """Whether rows whose `field` points at an erased record are erased with it."""
    on_delete = field.remote_field.on_delete
    if on_delete is models.CASCADE:
        return True
    return not field.null


def erase(obj: models.Model) -> dict[str, int]:
    """Delete `obj`, what refers to it and their history; counts by model label.

    Call inside a transaction (the retention job and subject-access erasure do).
    """
    order: list[tuple[type[models.Model], object]] = []
    seen: set[tuple[str, object]] = set()
    clear: list[tuple[models.ForeignKey, object]] = []

    def visit(model: type[models.Model], pk: object) -> None:
        key = (model._meta.label_lower, pk)
        if key in seen:
            return
        seen.add(key)
        for relation in model._meta.related_objects:
            if relation.many_to_many:
                continue  # Django clears automatic many-to-many rows itself
            related = relation.related_model
            if not isinstance(related, type) or _is_history(related):
                continue
            field = relation.field
            if not isinstance(field, models.ForeignKey):
                continue
            target = field.target_field.attname
            value = getattr_or_pk(model, pk, target)
            rows = related._base_manager.filter(**{field.attname: value})
            if _owned_by(field):
                for child_pk in rows.values_list("pk", flat=True):
                    visit(related, child_pk)
            else:
                for child_pk in rows.values_list("pk", flat=True):
                    clear.append((field, child_pk))
        order.append((model, pk))

    visit(type(obj), obj.pk)

    counts: dict[str, int] = defaultdict(int)
    for field, pk in clear:
        model = field.model
        model._base_manager.filter(pk=pk).update(**{field.name: None})
    deleted: dict[type[models.Model], list[object]] = defaultdict(list)
    for model, pk in order:
        model._base_manager.filter(pk=pk).delete()
        deleted[model].append(pk)
        counts[model._meta.label] += 1
    for model, pks in deleted.items():
        for history in _history_models(model):
            history._base_manager.filter(pgh_obj_id__in=pks).delete()
    return dict(counts)


def getattr_or_pk(model: type[models.Model], pk: object, attname: str) -> object:
    """The value a foreign key holds for the row `pk` of `model` (its primary key,
    unless the key points at another unique column)."""
    if attname == model._meta.pk.attname:
        return pk
    return model._base_manager.filter(pk=pk).values_list(attname, flat=True).get()
