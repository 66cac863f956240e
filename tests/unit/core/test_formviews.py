"""core.formviews.form_action: form -> action -> errors on the form."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from svduty.core.formviews import Done, button_action, form_action, not_found


class NameForm(forms.Form):
    name = forms.CharField()


def _post(data):
    return RequestFactory().post("/", data)


def test_runs_the_action_with_the_cleaned_data_on_a_valid_post():
    form = NameForm({"name": " Ada "})
    done = form_action(_post({}), form, lambda data: data["name"].upper())
    assert done == Done("ADA")


def test_a_none_result_still_counts_as_done():
    done = form_action(_post({}), NameForm({"name": "x"}), lambda data: None)
    assert done is not None and done.result is None
    assert done


def test_get_and_invalid_forms_never_reach_the_action():
    calls = []
    assert form_action(RequestFactory().get("/"), NameForm(), calls.append) is None
    invalid = NameForm({"name": ""})
    assert form_action(_post({}), invalid, calls.append) is None
    assert calls == []
    assert "name" in invalid.errors


def test_refusals_land_on_the_field_or_at_the_top():
    def refuse(data):
        raise ValidationError(
            {"name": "Enter another name", "other": "Not a field of this form"}
        )

    form = NameForm({"name": "Ada"})
    assert form_action(_post({}), form, refuse) is None
    assert form.errors["name"] == ["Enter another name"]
    assert form.non_field_errors() == ["Not a field of this form"]

    plain = NameForm({"name": "Ada"})
    assert (
        form_action(
            _post({}), plain, lambda d: (_ for _ in ()).throw(ValidationError("No"))
        )
        is None
    )
    assert plain.non_field_errors() == ["No"]


def test_other_exceptions_pass_through():
    def deny(data):
        raise PermissionDenied

    with pytest.raises(PermissionDenied):
        form_action(_post({}), NameForm({"name": "Ada"}), deny)


# --- button_action: a button with no form ---------------------------------------


def _with_messages(request):
    """A request that can carry messages (the session and message middleware's
    part, without the middleware)."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _shown(request):
    return [(m.level_tag, m.message) for m in request._messages]


def test_a_button_runs_the_action_on_a_post_and_says_so():
    request = _with_messages(_post({}))
    done = button_action(request, lambda: 42, success="Done it")
    assert done == Done(42)
    assert _shown(request) == [("success", "Done it")]


def test_a_button_never_runs_the_action_on_a_get_unless_allowed():
    calls = []
    request = _with_messages(RequestFactory().get("/"))
    assert button_action(request, lambda: calls.append(1), success="x") is None
    assert calls == [] and _shown(request) == []
    assert button_action(request, lambda: calls.append(1), allow_get=True)
    assert calls == [1]


def test_a_refused_button_shows_one_error_and_no_success():
    request = _with_messages(_post({}))

    def refuse():
        raise ValidationError(["Not now.", "Ask the lead."])

    assert button_action(request, refuse, success="Done it") is None
    assert _shown(request) == [("error", "Not now. Ask the lead.")]


def test_a_refusal_can_be_handled_by_the_view_instead():
    from django.http import Http404

    def refuse():
        raise ValidationError("Out of reach")

    seen = []
    request = _with_messages(_post({}))
    assert button_action(request, refuse, refused=seen.append) is None
    assert [e.messages for e in seen] == [["Out of reach"]]
    assert _shown(request) == []
    with pytest.raises(Http404):
        button_action(request, refuse, refused=not_found)


def test_other_exceptions_from_a_button_pass_through():
    def deny():
        raise PermissionDenied

    with pytest.raises(PermissionDenied):
        button_action(_with_messages(_post({})), deny)
