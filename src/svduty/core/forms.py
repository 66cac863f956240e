"""GOV.UK Design System forms for Django (architecture D4; no crispy-forms).

``settings.FORM_RENDERER = "svduty.core.forms.GovukFormRenderer"`` makes
``{{ form }}`` and ``{{ form.field.as_field_group }}`` render GOV.UK markup:
label or fieldset legend, hint (from ``help_text``), error message with a
visually hidden "Error:" prefix, ``aria-describedby`` and
``govuk-form-group--error``. ``govuk_field_context`` works out which GOV.UK
component a field is and what it needs; the templates are in
``templates/govuk/forms/``. See docs/frontend.md for how to write a form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.template.exceptions import TemplateDoesNotExist
from django.utils import timezone
from django.utils.dateformat import format as date_format

from .widgets import (
    MONTH_NAMES,
    GovukChoiceOptionsMixin,
    GovukDateInput,
    GovukFileInput,
    GovukNumberInput,
    GovukPasswordInput,
    GovukTextarea,
    width_class,
)

LABEL_SIZES = {"s", "m", "l", "xl"}


class GovukFormRenderer(TemplatesSetting):
    """Renders forms and fields with our GOV.UK templates.

    Templates come from the project's TEMPLATES setting (so our
    ``templates/govuk/forms/`` wins); anything we do not override, such as the
    hidden input or formset management form, falls back to Django's own form
    templates, which ``TemplatesSetting`` alone would not find.
    """

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"

    _fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self._fallback.get_template(template_name)


# --- Forms --------------------------------------------------------------------


class GovukForm:
    """Mixin for ``forms.Form``/``forms.ModelForm``: GOV.UK behaviour.

    * no HTML ``required`` attributes (the Design System validates on the server:
      browser messages are inconsistent and not announced well);
    * ``page_heading_field``: the name of the field whose label (or legend) is the
      page's ``<h1>`` – the "one question per page" pattern;
    * ``label_size``: "s", "m", "l" or "xl" for every label/legend (the page
      heading field defaults to "l").
    * ``field_options``: per-field overrides, for example
      ``{"name": {"label_size": "m"}}``.
    """

    use_required_attribute = False
    error_css_class = "govuk-form-group--error"
    page_heading_field: str | None = None
    label_size: str | None = None
    field_options: dict[str, dict[str, Any]] = {}  # noqa: RUF012 – read only

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            _govuk_error_messages(form_field, self[name].label)

    def govuk_options_for(self, name: str) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.label_size:
            options["label_size"] = self.label_size
        if name == self.page_heading_field:
            options.update(is_page_heading=True, label_size=self.label_size or "l")
        options.update(self.field_options.get(name, {}))
        return options


def _sentence_lower(text: str) -> str:
    """ "Full name" → "full name"; leaves "NHS number" and "I …" alone."""
    first = text.split(" ", 1)[0]
    if first == "I" or (len(first) > 1 and first[1].isupper()):
        return text
    return text[:1].lower() + text[1:]


def _govuk_error_messages(form_field: forms.Field, label: str) -> None:
    """Replace Django's generic messages ("This field is required.") with GOV.UK
    style ones built from the label, unless the form set its own. These are a
    fallback: a question-specific message ("Enter your full name") is better, and
    a form can give one with ``error_messages={"required": …}``."""
    label = str(label or "").strip()
    question = label.endswith("?")
    lower = _sentence_lower(label.rstrip("?"))
    messages = form_field.error_messages
    defaults = {
        key: str(value)
        for cls in reversed(type(form_field).__mro__)
        for key, value in getattr(cls, "default_error_messages", {}).items()
    }

    def replace(key: str, message: str) -> None:
        if key in messages and str(messages[key]) == defaults.get(key):
            messages[key] = message

    if isinstance(form_field, GovukDateField):
        return
    widget = form_field.widget
    if isinstance(widget, forms.CheckboxInput):
        replace(
            "required",
            "Select the box to confirm"
            if question
            else f"Select the box to confirm {lower}",
        )
    elif isinstance(
        widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.Select
    ):
        replace("required", "Select an answer" if question else f"Select {lower}")
        replace("invalid_choice", "Select one of the options")
    elif isinstance(widget, forms.FileInput):
        replace("required", "Select a file")
        replace("empty", "The selected file is empty")
    else:
        replace("required", "Enter an answer" if question else f"Enter {lower}")
    if isinstance(form_field, forms.EmailField):
        replace(
            "invalid",
            "Enter an email address in the correct format, like name@example.com",
        )
    if isinstance(form_field, forms.IntegerField) and label and not question:
        replace("invalid", f"{label} must be a whole number")
    if (
        isinstance(form_field, forms.DecimalField | forms.FloatField)
        and label
        and not question
    ):
        replace("invalid", f"{label} must be a number")
    if (
        isinstance(form_field, forms.CharField)
        and form_field.max_length
        and label
        and not question
    ):
        # Validators are shared between form instances: replace, never mutate.
        form_field.validators = [
            MaxLengthValidator(
                form_field.max_length,
                message=f"{label} must be {form_field.max_length} characters or less",
            )
            if isinstance(v, MaxLengthValidator)
            else v
            for v in form_field.validators
        ]


def error_summary_items(form: forms.BaseForm) -> list[dict[str, str]]:
    """The error summary's list: each message with the id it links to.

    Non-field errors link to nothing. For grouped inputs the link goes to the first
    input (first radio, checkbox, or the first part of a date with an error).
    """
    items: list[dict[str, str]] = []
    if not form.is_bound:
        return items
    for message in form.non_field_errors():
        items.append({"text": message, "href": ""})
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        if bound.is_hidden:
            for message in errors:
                items.append({"text": message, "href": ""})
            continue
        for error in errors.as_data():
            for message in error.messages:
                items.append(
                    {"text": message, "href": "#" + error_target_id(bound, error)}
                )
    return items


def error_target_id(
    bound: forms.BoundField, error: ValidationError | None = None
) -> str:
    widget = bound.field.widget
    auto_id = bound.auto_id or bound.html_name
    if isinstance(widget, GovukDateInput):
        parts = _error_parts(error) if error is not None else []
        first = next((p for p in widget.parts if p in parts), widget.parts[0])
        return f"{auto_id}_{first}"
    return auto_id


def _error_parts(error: ValidationError) -> list[str]:
    params = getattr(error, "params", None) or {}
    return list(params.get("parts", []))


# --- Field context for the templates ------------------------------------------


@dataclass
class ChoiceItem:
    id: str
    value: str
    label: str
    checked: bool
    hint: str = ""
    hint_id: str = ""
    divider: str = ""
    exclusive: bool = False
    conditional_id: str = ""
    conditional_fields: list[Any] = field(default_factory=list)


def _kind(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, GovukDateInput):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


def _options(bound: forms.BoundField) -> dict[str, Any]:
    form = bound.form
    getter = getattr(form, "govuk_options_for", None)
    options = dict(getter(bound.name)) if getter else {}
    size = options.get("label_size")
    if size and size not in LABEL_SIZES:
        raise ValueError(
            f"label_size must be one of {sorted(LABEL_SIZES)}, not {size!r}"
        )
    return options


def _merge_classes(*classes: str) -> str:
    seen: list[str] = []
    for group in classes:
        for cls in (group or "").split():
            if cls not in seen:
                seen.append(cls)
    return " ".join(seen)


def govuk_field_context(bound: forms.BoundField) -> dict[str, Any]:
    """Everything ``templates/govuk/forms/<kind>.html`` needs for one field."""
    kind = _kind(bound)
    widget = bound.field.widget
    auto_id = bound.auto_id or f"id_{bound.html_name}"
    options = _options(bound)
    errors = bound.errors
    hint = str(bound.help_text) if bound.help_text else ""
    hint_id = f"{auto_id}-hint" if hint else ""
    error_id = f"{auto_id}-error" if errors else ""
    label_size = options.get("label_size", "")
    ctx: dict[str, Any] = {
        "field": bound,
        "kind": kind,
        "id": auto_id,
        "name": bound.html_name,
        "label": bound.label,
        "label_size": label_size,
        "is_page_heading": bool(options.get("is_page_heading")),
        "hint": hint,
        "hint_id": hint_id,
        "errors": errors,
        "error_id": error_id,
        "form_group_classes": _merge_classes(
            "govuk-form-group",
            "govuk-form-group--error" if errors else "",
            options.get("form_group_classes", ""),
        ),
    }
    describedby = " ".join(x for x in (hint_id, error_id) if x)
    ctx["describedby"] = describedby
    own_classes = widget.attrs.get("class", "")
    width = width_class(getattr(widget, "govuk_width", None))

    if kind in {"input", "password"}:
        render_widget = widget
        input_classes = ["govuk-input", width, own_classes]
        if kind == "password":
            input_classes += [
                "govuk-password-input__input",
                "govuk-js-password-input-input",
            ]
            if not isinstance(widget, GovukPasswordInput):
                render_widget = GovukPasswordInput(
                    attrs={k: v for k, v in widget.attrs.items() if k != "class"},
                    autocomplete=widget.attrs.get("autocomplete", "current-password"),
                )
                render_widget.render_value = getattr(widget, "render_value", False)
        elif isinstance(widget, forms.NumberInput):
            # type="number" is not used on GOV.UK; render a numeric text input.
            render_widget = GovukNumberInput(
                attrs={
                    k: v
                    for k, v in widget.attrs.items()
                    if k not in {"min", "max", "step", "class"}
                },
                decimal=isinstance(bound.field, forms.DecimalField | forms.FloatField),
            )
        elif isinstance(widget, forms.EmailInput):
            widget.attrs.setdefault("spellcheck", "false")
        if errors:
            input_classes.append("govuk-input--error")
        attrs = {"class": _merge_classes(*input_classes)}
        if describedby:
            attrs["aria-describedby"] = describedby
        ctx["widget_html"] = bound.as_widget(widget=render_widget, attrs=attrs)
        ctx["prefix"] = options.get("prefix", "")
        ctx["suffix"] = options.get("suffix", "")

    elif kind == "textarea":
        count = isinstance(widget, GovukTextarea) and widget.character_count
        classes = ["govuk-textarea", own_classes]
        if errors:
            classes.append("govuk-textarea--error")
        info_id = f"{auto_id}-info"
        if count:
            classes.append("govuk-js-character-count")
            ctx["character_count"] = {
                "info_id": info_id,
                "max_chars": widget.max_chars,
                "max_words": widget.max_words,
                "threshold": widget.threshold,
            }
        attrs = {"class": _merge_classes(*classes)}
        ids = ([info_id] if count else []) + [x for x in (hint_id, error_id) if x]
        if ids:
            attrs["aria-describedby"] = " ".join(ids)
        ctx["widget_html"] = bound.as_widget(attrs=attrs)

    elif kind == "select":
        classes = ["govuk-select", own_classes]
        if errors:
            classes.append("govuk-select--error")
        attrs = {"class": _merge_classes(*classes)}
        if describedby:
            attrs["aria-describedby"] = describedby
        ctx["widget_html"] = bound.as_widget(attrs=attrs)

    elif kind == "file":
        classes = ["govuk-file-upload", own_classes]
        if errors:
            classes.append("govuk-file-upload--error")
        attrs = {"class": _merge_classes(*classes)}
        if describedby:
            attrs["aria-describedby"] = describedby
        # A plain file input: Django's "clear" checkbox and "Currently:" link do not
        # fit the GOV.UK component, so pages show the current file themselves.
        plain = forms.FileInput(
            attrs={k: v for k, v in widget.attrs.items() if k != "class"}
        )
        plain.allow_multiple_selected = getattr(
            widget, "allow_multiple_selected", False
        )
        ctx["widget_html"] = bound.as_widget(widget=plain, attrs=attrs)
        ctx["enhanced"] = getattr(widget, "enhanced", True)

    elif kind in {"radios", "checkboxes"}:
        ctx.update(_choice_context(bound, kind, auto_id, describedby))

    elif kind == "checkbox":
        ctx["checked"] = bool(bound.value())

    elif kind == "date":
        ctx.update(_date_context(bound, auto_id, errors))

    return ctx


def _choice_context(bound, kind, auto_id, describedby) -> dict[str, Any]:
    widget = bound.field.widget
    value = bound.value()
    if kind == "radios":
        selected = {"" if value is None else str(value)}
    else:
        selected = {str(v) for v in (value or [])}
    has_options = isinstance(widget, GovukChoiceOptionsMixin)
    items: list[ChoiceItem] = []
    form = bound.form
    index = 0
    for choice_value, choice_label in bound.field.choices:
        if isinstance(choice_label, list | tuple):
            raise ValueError(
                "GOV.UK radios and checkboxes do not support option groups"
            )
        str_value = (
            ""
            if choice_value is None
            else str(getattr(choice_value, "value", choice_value))
        )
        if kind == "radios" and str_value == "":
            # The empty "---------" choice has no place in a radio group.
            continue
        index += 1
        item_id = auto_id if index == 1 else f"{auto_id}-{index}"
        item = ChoiceItem(
            id=item_id,
            value=str_value,
            label=str(choice_label),
            checked=str_value in selected,
        )
        if has_options:
            item.hint = widget.hints.get(str_value, "")
            item.hint_id = f"{item_id}-item-hint" if item.hint else ""
            item.divider = widget.dividers.get(str_value, "")
            item.exclusive = widget.exclusive == str_value
            names = widget.conditional.get(str_value, [])
            if names:
                item.conditional_id = f"conditional-{item_id}"
                item.conditional_fields = [form[name] for name in names]
        items.append(item)
    prefix = "govuk-radios" if kind == "radios" else "govuk-checkboxes"
    classes = [prefix]
    if has_options and widget.small:
        classes.append(f"{prefix}--small")
    if has_options and widget.inline and kind == "radios":
        classes.append("govuk-radios--inline")
    return {
        "items": items,
        "group_classes": " ".join(classes),
        "fieldset_describedby": describedby,
    }


def _date_context(bound, auto_id, errors) -> dict[str, Any]:
    widget: GovukDateInput = bound.field.widget
    raw = bound.value()
    values = widget.decompress(raw)
    parts_in_error: set[str] = set()
    for error in errors.as_data() if errors else []:
        parts = _error_parts(error)
        parts_in_error.update(parts or widget.parts)
    widths = {"day": 2, "month": 2, "year": 4}
    labels = {"day": "Day", "month": "Month", "year": "Year"}
    items = []
    for part, value in zip(widget.parts, values, strict=False):
        classes = [
            "govuk-input",
            "govuk-date-input__input",
            f"govuk-input--width-{widths[part]}",
        ]
        if part in parts_in_error:
            classes.append("govuk-input--error")
        items.append(
            {
                "part": part,
                "id": f"{auto_id}_{part}",
                "name": f"{bound.html_name}_{part}",
                "label": labels[part],
                "value": value,
                "classes": " ".join(classes),
                "autocomplete": widget.attrs.get(f"autocomplete_{part}", ""),
            }
        )
    return {
        "date_items": items,
        "fieldset_describedby": " ".join(
            x
            for x in (
                f"{auto_id}-hint" if bound.help_text else "",
                f"{auto_id}-error" if errors else "",
            )
            if x
        ),
    }


# --- Fields -------------------------------------------------------------------


class GovukDateField(forms.Field):
    """A date entered in the GOV.UK date input, with the Design System's messages.

    ``error_name`` is how messages refer to the date ("Date of birth"); it
    defaults to the label. Options: ``must_be_past``, ``must_be_future``,
    ``allow_today`` (with either), ``min_date``, ``max_date``.

    Messages (GOV.UK wording): "Enter date of birth", "Date of birth must include a
    month", "Date of birth must include a day and year", "Date of birth must be a
    real date", "Year must include 4 numbers", "Date of birth must be in the past",
    "Date of birth must be today or in the past", "… must be in the future",
    "… must be the same as or after 1 January 1900", "… must be the same as or
    before …".
    """

    widget = GovukDateInput

    def __init__(
        self,
        *,
        error_name: str | None = None,
        must_be_past: bool = False,
        must_be_future: bool = False,
        allow_today: bool = False,
        min_date: dt.date | None = None,
        max_date: dt.date | None = None,
        **kwargs,
    ):
        if must_be_past and must_be_future:
            raise ValueError(
                "A date cannot have to be both in the past and in the future"
            )
        super().__init__(**kwargs)
        self.error_name = error_name
        self.must_be_past = must_be_past
        self.must_be_future = must_be_future
        self.allow_today = allow_today
        self.min_date = min_date
        self.max_date = max_date

    @property
    def _name(self) -> str:
        return str(self.error_name or self.label or "Date")

    def _lower_name(self) -> str:
        name = self._name
        # "Date of birth" → "date of birth", but keep "NHS number"-style acronyms.
        if len(name) > 1 and name[1].isupper():
            return name
        return name[:1].lower() + name[1:]

    def to_python(self, value):
        if value is None or isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            value = (value,)
        parts = dict(zip(self.widget.parts, value, strict=False))
        if not any(parts.values()):
            return None
        missing = [p for p in self.widget.parts if not parts.get(p)]
        if missing:
            raise ValidationError(
                "%(name)s must include a %(missing)s",
                code="incomplete",
                params={
                    "name": self._name,
                    "missing": " and ".join(missing),
                    "parts": missing,
                },
            )
        day_text = parts.get("day", "1")
        month_text = parts.get("month", "1")
        year_text = parts.get("year", "")
        month = MONTH_NAMES.get(month_text.lower().rstrip("."), None)
        try:
            day = int(day_text)
            month = month or int(month_text)
            year = int(year_text)
        except ValueError:
            bad = [
                p
                for p in self.widget.parts
                if not parts[p].isdigit() and not (p == "month" and month)
            ]
            raise ValidationError(
                "%(name)s must be a real date",
                code="invalid",
                params={"name": self._name, "parts": bad},
            ) from None
        if len(year_text) != 4:
            raise ValidationError(
                "Year must include 4 numbers",
                code="invalid_year",
                params={"parts": ["year"]},
            )
        try:
            return dt.date(year, month, day)
        except (ValueError, OverflowError):  # 31 February; a day past C's long
            raise ValidationError(
                "%(name)s must be a real date",
                code="invalid",
                params={"name": self._name, "parts": list(self.widget.parts)},
            ) from None

    def validate(self, value):
        if value in self.empty_values and self.required:
            message = self.error_messages["required"]
            if message == forms.Field.default_error_messages["required"]:
                message = f"Enter {self._lower_name()}"
            raise ValidationError(
                message,
                code="required",
                params={"parts": list(self.widget.parts)},
            )
        if value in self.empty_values:
            return
        today = timezone.localdate()
        all_parts = {"parts": list(self.widget.parts), "name": self._name}
        if self.must_be_past:
            if self.allow_today and value > today:
                raise ValidationError(
                    "%(name)s must be today or in the past",
                    code="past",
                    params=all_parts,
                )
            if not self.allow_today and value >= today:
                raise ValidationError(
                    "%(name)s must be in the past", code="past", params=all_parts
                )
        if self.must_be_future:
            if self.allow_today and value < today:
                raise ValidationError(
                    "%(name)s must be today or in the future",
                    code="future",
                    params=all_parts,
                )
            if not self.allow_today and value <= today:
                raise ValidationError(
                    "%(name)s must be in the future", code="future", params=all_parts
                )
        if self.min_date and value < self.min_date:
            raise ValidationError(
                "%(name)s must be the same as or after %(limit)s",
                code="min_date",
                params={**all_parts, "limit": date_format(self.min_date, "j F Y")},
            )
        if self.max_date and value > self.max_date:
            raise ValidationError(
                "%(name)s must be the same as or before %(limit)s",
                code="max_date",
                params={**all_parts, "limit": date_format(self.max_date, "j F Y")},
            )

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        return initial != data


__all__ = [
    "GovukDateField",
    "GovukFileInput",
    "GovukForm",
    "GovukFormRenderer",
    "error_summary_items",
    "govuk_field_context",
]


def apply_validation_error(form, exc: ValidationError) -> None:
    """Show an action's refusal on the form that caused it.

    Actions raise ValidationError with GOV.UK wording, keyed by field where the rule
    concerns one; those go on the field (or the top of the form when the field is not
    on this form), anything else at the top, so the error summary lists them all."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
