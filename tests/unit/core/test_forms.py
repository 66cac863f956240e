"""GOV.UK forms: the date field's messages, the error summary's links and the
markup of grouped inputs and file uploads (architecture D4, convention 8)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template

from svduty.core.forms import GovukDateField, GovukForm, error_summary_items
from svduty.core.widgets import (
    GovukCheckboxSelectMultiple,
    GovukFileInput,
    GovukRadioSelect,
    GovukTextarea,
    GovukTextInput,
)


class DateOfBirthForm(GovukForm, forms.Form):
    date_of_birth = GovukDateField(label="Date of birth", must_be_past=True)


class ContactForm(GovukForm, forms.Form):
    name = forms.CharField(
        label="Full name",
        help_text="As it appears on their passport",
        widget=GovukTextInput(width=20),
    )
    contact = forms.ChoiceField(
        label="How should we contact them?",
        choices=[("email", "Email"), ("phone", "Phone")],
        widget=GovukRadioSelect(
            hints={"email": "We will only use it about this referral"},
            conditional={"phone": "phone"},
        ),
    )
    phone = forms.CharField(label="Phone number", required=False)
    agencies = forms.MultipleChoiceField(
        label="Which agencies are involved?",
        choices=[
            ("police", "Police"),
            ("council", "Council"),
            ("none", "None of these"),
        ],
        widget=GovukCheckboxSelectMultiple(exclusive="none", dividers={"none": "or"}),
        required=False,
    )
    notes = forms.CharField(
        label="Notes",
        max_length=200,
        required=False,
        widget=GovukTextarea(max_chars=200),
    )


class UploadForm(GovukForm, forms.Form):
    file = forms.FileField(
        label="Upload a file", help_text="A CSV file, up to 10MB", widget=GovukFileInput
    )


def date_data(day="", month="", year=""):
    return {
        "date_of_birth_day": day,
        "date_of_birth_month": month,
        "date_of_birth_year": year,
    }


def errors_of(form, name):
    form.is_valid()
    return list(form.errors.get(name, []))


# --- Date field ---------------------------------------------------------------


def test_date_field_returns_a_date():
    form = DateOfBirthForm(data=date_data("7", "3", "2009"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == dt.date(2009, 3, 7)


def test_date_field_accepts_month_names():
    form = DateOfBirthForm(data=date_data("7", "Mar", "2009"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == dt.date(2009, 3, 7)


def test_date_field_missing_month():
    assert errors_of(
        DateOfBirthForm(data=date_data("7", "", "2009")), "date_of_birth"
    ) == ["Date of birth must include a month"]


def test_date_field_missing_two_parts():
    assert errors_of(DateOfBirthForm(data=date_data("7", "", "")), "date_of_birth") == [
        "Date of birth must include a month and year"
    ]


def test_date_field_empty_is_required():
    assert errors_of(DateOfBirthForm(data=date_data()), "date_of_birth") == [
        "Enter date of birth"
    ]


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [("31", "2", "2009"), ("x", "3", "2009"), ("7", "13", "2009")],
)
def test_date_field_not_a_real_date(day, month, year):
    assert errors_of(
        DateOfBirthForm(data=date_data(day, month, year)), "date_of_birth"
    ) == ["Date of birth must be a real date"]


def test_date_field_year_needs_four_numbers():
    assert errors_of(
        DateOfBirthForm(data=date_data("7", "3", "09")), "date_of_birth"
    ) == ["Year must include 4 numbers"]


def test_date_field_must_be_in_the_past():
    future = dt.date.today() + dt.timedelta(days=30)
    form = DateOfBirthForm(
        data=date_data(str(future.day), str(future.month), str(future.year))
    )
    assert errors_of(form, "date_of_birth") == ["Date of birth must be in the past"]


def test_date_field_keeps_what_the_user_typed():
    form = DateOfBirthForm(data=date_data("31", "2", "2009"))
    form.is_valid()
    html = str(form["date_of_birth"].as_field_group())
    assert 'value="31"' in html and 'value="2"' in html and 'value="2009"' in html
    assert 'name="date_of_birth_day"' in html


def test_date_input_is_a_fieldset_with_a_legend():
    html = str(DateOfBirthForm()["date_of_birth"].as_field_group())
    assert '<fieldset class="govuk-fieldset" role="group"' in html
    assert '<legend class="govuk-fieldset__legend">Date of birth</legend>' in html
    assert html.count('inputmode="numeric"') == 3


def test_date_input_marks_only_the_missing_part_in_error():
    form = DateOfBirthForm(data=date_data("7", "", "2009"))
    form.is_valid()
    html = str(form["date_of_birth"].as_field_group())
    month = re.search(
        r'<input class="([^"]*)" id="id_date_of_birth_month"', html
    ).group(1)
    day = re.search(r'<input class="([^"]*)" id="id_date_of_birth_day"', html).group(1)
    assert "govuk-input--error" in month
    assert "govuk-input--error" not in day
    assert "govuk-form-group--error" in html


# --- Error summary ------------------------------------------------------------


def test_error_summary_links_to_the_first_date_part_in_error():
    form = DateOfBirthForm(data=date_data("7", "", "2009"))
    form.is_valid()
    assert error_summary_items(form) == [
        {
            "text": "Date of birth must include a month",
            "href": "#id_date_of_birth_month",
        }
    ]


def test_error_summary_links_each_error_to_its_field():
    form = ContactForm(data={})
    form.is_valid()
    html = Template('{% include "govuk/error_summary.html" with form=form %}').render(
        Context({"form": form})
    )
    assert 'data-module="govuk-error-summary"' in html
    assert "There is a problem" in html
    assert '<a href="#id_name">Enter full name</a>' in html
    assert '<a href="#id_contact">Select an answer</a>' in html
    # Every link points at an element that exists in the rendered form.
    form_html = str(form)
    for target in re.findall(r'href="#([^"]+)"', html):
        assert f'id="{target}"' in form_html


def test_error_summary_is_empty_for_an_unbound_form():
    html = Template('{% include "govuk/error_summary.html" with form=form %}').render(
        Context({"form": ContactForm()})
    )
    assert html.strip() == ""


def test_page_title_is_prefixed_when_a_form_has_errors():
    form = ContactForm(data={})
    form.is_valid()
    template = Template("{% page_title %}Contact details{% endpage_title %}")
    assert template.render(Context({"form": form})) == "Error: Contact details – svduty"
    assert (
        template.render(Context({"form": ContactForm()})) == "Contact details – svduty"
    )


# --- Field markup -------------------------------------------------------------


def test_text_input_has_label_hint_error_and_describedby():
    form = ContactForm(data={"contact": "email"})
    form.is_valid()
    html = str(form["name"].as_field_group())
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert '<label class="govuk-label" for="id_name">Full name</label>' in html
    assert (
        '<div id="id_name-hint" class="govuk-hint">'
        "As it appears on their passport</div>" in html
    )
    assert '<span class="govuk-visually-hidden">Error:</span> Enter full name' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert "govuk-input--width-20" in html and "govuk-input--error" in html


def test_radios_render_a_fieldset_with_legend_and_item_hints():
    html = str(ContactForm()["contact"].as_field_group())
    assert '<fieldset class="govuk-fieldset">' in html
    assert (
        '<legend class="govuk-fieldset__legend">How should we contact them?</legend>'
        in html
    )
    assert 'data-module="govuk-radios"' in html
    assert 'id="id_contact" name="contact" type="radio" value="email"' in html
    assert 'id="id_contact-2" name="contact" type="radio" value="phone"' in html
    assert (
        'class="govuk-hint govuk-radios__hint">We will only use it about this referral'
        in html
    )


def test_conditional_reveal_holds_the_field_once():
    html = str(ContactForm())
    assert 'data-aria-controls="conditional-id_contact-2"' in html
    assert html.count('id="id_phone"') == 1
    reveal = html.split('id="conditional-id_contact-2"', 1)[1]
    assert 'id="id_phone"' in reveal.split("</fieldset>", 1)[0]


def test_checkboxes_render_checkboxes_with_exclusive_option():
    html = str(ContactForm()["agencies"].as_field_group())
    assert 'data-module="govuk-checkboxes"' in html
    assert 'type="checkbox"' in html and 'type="radio"' not in html
    assert 'data-behaviour="exclusive"' in html
    assert '<div class="govuk-checkboxes__divider">or</div>' in html


def test_textarea_with_character_count():
    html = str(ContactForm()["notes"].as_field_group())
    assert 'data-module="govuk-character-count" data-maxlength="200"' in html
    assert "govuk-js-character-count" in html
    assert "You can enter up to 200 characters" in html
    assert "maxlength=" not in html.replace("data-maxlength", "")


def test_file_upload_markup_and_errors():
    html = str(UploadForm()["file"].as_field_group())
    assert 'type="file"' in html and 'class="govuk-file-upload"' in html
    assert 'data-module="govuk-file-upload"' in html
    assert 'aria-describedby="id_file-hint"' in html

    form = UploadForm(data={}, files={})
    assert not form.is_valid()
    html = str(form["file"].as_field_group())
    assert "govuk-file-upload--error" in html
    assert "Select a file" in html


def test_file_upload_accepts_a_file():
    upload = SimpleUploadedFile(
        "referrals.csv", b"id,date\n1,2026-11-27\n", content_type="text/csv"
    )
    form = UploadForm(data={}, files={"file": upload})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].name == "referrals.csv"


def test_page_heading_field_wraps_the_label_in_h1():
    class NameForm(GovukForm, forms.Form):
        page_heading_field = "name"
        name = forms.CharField(label="What is their name?")

    html = str(NameForm()["name"].as_field_group())
    assert (
        '<h1 class="govuk-label-wrapper">'
        '<label class="govuk-label govuk-label--l" for="id_name">' in html
    )


def test_plain_django_widgets_render_as_govuk_components():
    class PlainForm(forms.Form):
        age = forms.IntegerField(label="Age")
        area = forms.ChoiceField(label="Area", choices=[("n", "North"), ("s", "South")])
        agree = forms.BooleanField(label="I confirm the information is correct")

    html = str(PlainForm())
    # Whole numbers use a text input with a numeric keyboard, as GOV.UK does.
    assert 'type="text" name="age"' in html and 'inputmode="numeric"' in html
    assert 'class="govuk-select"' in html
    assert 'class="govuk-checkboxes__input" id="id_agree"' in html
