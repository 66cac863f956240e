"""Form → action → errors on the form, written once.

A view that writes builds its form, then:

    if done := form_action(
        request, form, lambda data: actions.add_thing(by=request.user, **data)
    ):
        messages.success(request, f"“{done.result.name}” added")
        return redirect(...)
    return render(request, ..., {"form": form})

`form_action` runs the action only for a POST whose form is valid, with the form's
cleaned data. A `ValidationError` from the action (the rule refused, in GOV.UK
wording) goes onto the form (`svduty.core.forms.apply_validation_error`): on the
field it names when the form has that field, at the top otherwise; the view then
shows the form again with its error summary. Anything else the action raises
(`PermissionDenied`, `Http404`) passes through. The action's own transaction has
been rolled back by then, so nothing it wrote stays.

A button with no form to fill in (enable an account, leave a case team, remove a
mapping rule) uses `button_action` instead:

    button_action(
        request,
        lambda: actions.remove_rule(by=request.user, rule=rule),
        success="Mapping rule removed",
    )
    return redirect(...)

It runs the action for a POST (for a GET too with `allow_get=True`: a download
link whose export is audited). A `ValidationError` from the action becomes one error
message on the next page (its messages joined), or is handed to `refused(error)`
when the view wants something else (`not_found`: the object is out of reach, so
404). On success the `success` message, if any, is shown. Like `form_action`, it
returns `Done(result)` when the action ran and None otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from svduty.core.forms import apply_validation_error

T = TypeVar("T")


@dataclass(frozen=True)
class Done(Generic[T]):
    """The action ran: `result` is what it returned (always truthy itself, so
    `if done := form_action(...)` holds even when the action returns None)."""

    result: T


def form_action(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
) -> Done[T] | None:
    """Run `action(form.cleaned_data)` for a valid POST; None when the request is
    not a POST, the form is invalid, or the action refused (errors on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    return Done(result)


def not_found(error: ValidationError) -> None:
    """`button_action(..., refused=not_found)`: a refusal is a 404."""
    raise Http404 from None


def button_action(
    request: HttpRequest,
    action: Callable[[], T],
    *,
    success: str | None = None,
    refused: Callable[[ValidationError], object] | None = None,
    allow_get: bool = False,
) -> Done[T] | None:
    """Run `action()` for a POST (or any request with `allow_get`); None when the
    request is not a POST or the action refused (see the module)."""
    if request.method != "POST" and not allow_get:
        return None
    try:
        result = action()
    except ValidationError as error:
        if refused is None:
            messages.error(request, " ".join(error.messages))
        else:
            refused(error)
        return None
    if success:
        messages.success(request, success)
    return Done(result)
