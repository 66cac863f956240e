"""Which people a page showed, so that every page showing personal data is audited
once (issue 14, build 1).

A view that writes its own event of access (a view, search, export, print or
disclosure) is left alone: `svduty.audit.log.record` marks the request as audited.
Any other page that fetched a person's record through the policy layer
(`get_visible_or_404`, the cases helpers) has those people noted here, and
`svduty.audit.middleware.PageViewAuditMiddleware` writes one view event naming them
after a successful GET: the edit forms, the forms that add to a child's record, the
pages of an order.

A model opts in with `shows_personal_data = True` (a child, an order holder); a model
about one such person (a referral, a plan, an order) is traced through its `person`
or `holder`."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from typing import Any

#: The attributes that lead from a record to the person it is about, followed up to
#: three steps (a breach -> its order -> the order's holder; a return interview -> its
#: missing episode -> the child; an NRM reconsideration -> its referral -> the child).
SUBJECT_ATTRIBUTES = ("person", "holder", "order", "missing_episode", "episode", "nrm")


@dataclass
class Viewing:
    #: (label_lower, pk) -> the instance, in the order the page fetched them.
    shown: dict[tuple[str, Any], Any] = field(default_factory=dict)
    audited: bool = False


current: contextvars.ContextVar[Viewing | None] = contextvars.ContextVar(
    "svduty_viewing", default=None
)


def subject_of(instance: Any, depth: int = 3) -> Any | None:
    """The person `instance` shows, or None when it is not about a person."""
    if getattr(type(instance), "shows_personal_data", False):
        return instance
    if depth == 0:
        return None
    for attribute in SUBJECT_ATTRIBUTES:
        descriptor = getattr(type(instance), attribute, None)
        field_ = getattr(descriptor, "field", None)
        if getattr(field_, "many_to_one", False) or getattr(
            field_, "one_to_one", False
        ):
            related = getattr(instance, attribute, None)
            if related is not None and (found := subject_of(related, depth - 1)):
                return found
    return None


def note_shown(*instances: Any) -> None:
    """Note that the current page shows these records (or the people they are
    about)."""
    viewing = current.get()
    if viewing is None:
        return
    for instance in instances:
        subject = subject_of(instance)
        if subject is not None and subject.pk is not None:
            viewing.shown.setdefault((subject._meta.label_lower, subject.pk), subject)


def note_choices(form: Any, *names: str) -> None:
    """Note the people a form offers to choose from (a list of children's names)."""
    if current.get() is None:
        return
    for name in names:
        queryset = getattr(form.fields.get(name), "queryset", None)
        if queryset is not None:
            note_shown(*queryset)


def mark_audited() -> None:
    """The request wrote its own event of access: nothing more to record."""
    viewing = current.get()
    if viewing is not None:
        viewing.audited = True
