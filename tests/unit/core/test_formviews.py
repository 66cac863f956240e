"""core.formviews.form_action: form -> action -> errors on the form."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from svduty.core.formviews import Done, form_action


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
