"""GOV.UK Design System widgets for Django forms (architecture D4).

Plain Django widgets already render as GOV.UK components through
``GovukFormRenderer`` (see ``svduty.core.forms``); these subclasses add the options
that the GOV.UK components have and Django's widgets do not: input widths, hints
on each radio or checkbox, conditionally revealed questions, character counts and
the three-part date input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms

# GOV.UK fixed widths (characters) and fluid widths (fractions of the column).
FIXED_WIDTHS = {2, 3, 4, 5, 10, 20, 30}
FLUID_WIDTHS = {
    "full",
    "three-quarters",
    "two-thirds",
    "one-half",
    "one-third",
    "one-quarter",
}


def width_class(width: int | str | None) -> str:
    """The CSS class for a GOV.UK input width: 10 → govuk-input--width-10."""
    if width is None:
        return ""
    if isinstance(width, int) or str(width).isdigit():
        if int(width) not in FIXED_WIDTHS:
            raise ValueError(
                f"GOV.UK inputs come in widths {sorted(FIXED_WIDTHS)}, not {width}"
            )
        return f"govuk-input--width-{width}"
    if width not in FLUID_WIDTHS:
        raise ValueError(
            f"GOV.UK fluid widths are {sorted(FLUID_WIDTHS)}, not {width!r}"
        )
    return f"govuk-!-width-{width}"


class GovukWidthMixin:
    """Adds a ``width`` option (an int from FIXED_WIDTHS or a fluid width name)."""

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        width: int | str | None = None,
        **kwargs,
    ):
        super().__init__(attrs, **kwargs)
        self.govuk_width = width
        width_class(width)  # fail early on a width GOV.UK does not have


class GovukTextInput(GovukWidthMixin, forms.TextInput):
    pass


class GovukEmailInput(GovukWidthMixin, forms.EmailInput):
    """Email: no spellcheck, and the browser may offer the user's address."""

    def __init__(self, attrs=None, **kwargs):
        attrs = {"spellcheck": "false", "autocomplete": "email", **(attrs or {})}
        super().__init__(attrs, **kwargs)


class GovukNumberInput(GovukWidthMixin, forms.TextInput):
    """Whole numbers, as GOV.UK asks: type="text" with inputmode="numeric".

    ``type="number"`` rounds, accepts "e" and changes value on scroll, so the Design
    System uses a text input with a numeric keyboard instead. Pass
    ``decimal=True`` for decimals (inputmode="decimal").
    """

    def __init__(self, attrs=None, *, decimal: bool = False, **kwargs):
        attrs = {
            "inputmode": "decimal" if decimal else "numeric",
            "spellcheck": "false",
            **(attrs or {}),
        }
        super().__init__(attrs, **kwargs)


class GovukPasswordInput(forms.PasswordInput):
    """The GOV.UK password input, with its "Show" button (needs JavaScript)."""

    def __init__(self, attrs=None, *, autocomplete: str = "current-password", **kwargs):
        attrs = {
            "autocomplete": autocomplete,
            "spellcheck": "false",
            "autocapitalize": "none",
            **(attrs or {}),
        }
        super().__init__(attrs, **kwargs)


class GovukTextarea(forms.Textarea):
    """Textarea with an optional GOV.UK character count.

    ``max_chars`` (or ``max_words``) switches on the count. The count warns rather
    than stops the user, so the ``maxlength`` attribute Django adds for a field's
    max_length is left off; the field's own validation still applies.
    """

    def __init__(
        self,
        attrs=None,
        *,
        rows: int = 5,
        max_chars: int | None = None,
        max_words: int | None = None,
        threshold: int | None = None,
    ):
        super().__init__({"rows": rows, **(attrs or {})})
        self.max_chars = max_chars
        self.max_words = max_words
        self.threshold = threshold

    @property
    def character_count(self) -> bool:
        return bool(self.max_chars or self.max_words)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.character_count:
            context["widget"]["attrs"].pop("maxlength", None)
        return context


class GovukChoiceOptionsMixin:
    """Per-choice hints, conditional reveals and dividers for radios and checkboxes.

    hints:       {choice value: hint text}
    conditional: {choice value: field name or list of field names} – those fields
                 are rendered inside the choice's reveal (and not again by
                 ``{{ form }}``); the form must make them required only when the
                 choice is selected (see docs/frontend.md).
    dividers:    {choice value: text}, a divider ("or") shown before that choice.
    exclusive:   a checkbox choice value that unticks the others ("None of these").
    small:       the small variant; inline: side by side (two short choices only).
    """

    def __init__(
        self,
        attrs=None,
        choices=(),
        *,
        hints: Mapping[str, str] | None = None,
        conditional: Mapping[str, str | Sequence[str]] | None = None,
        dividers: Mapping[str, str] | None = None,
        exclusive: str | None = None,
        small: bool = False,
        inline: bool = False,
    ):
        super().__init__(attrs, choices)
        self.hints = {str(k): v for k, v in (hints or {}).items()}
        self.conditional = {
            str(k): [v] if isinstance(v, str) else list(v)
            for k, v in (conditional or {}).items()
        }
        self.dividers = {str(k): v for k, v in (dividers or {}).items()}
        self.exclusive = None if exclusive is None else str(exclusive)
        self.small = small
        self.inline = inline

    def conditional_field_names(self) -> list[str]:
        return [name for names in self.conditional.values() for name in names]


class GovukRadioSelect(GovukChoiceOptionsMixin, forms.RadioSelect):
    pass


class GovukCheckboxSelectMultiple(
    GovukChoiceOptionsMixin, forms.CheckboxSelectMultiple
):
    pass


class GovukSelect(forms.Select):
    pass


class GovukFileInput(forms.ClearableFileInput):
    """File upload. ``enhanced=True`` uses GOV.UK Frontend's drop zone (v5.9+)."""

    def __init__(self, attrs=None, *, enhanced: bool = True, multiple: bool = False):
        super().__init__(attrs)
        self.enhanced = enhanced
        self.allow_multiple_selected = multiple
        if multiple:
            self.attrs["multiple"] = True


MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


class GovukDateInput(forms.Widget):
    """The GOV.UK date input: three text boxes for day, month and year.

    The submitted value is a (day, month, year) tuple of strings, which
    ``GovukDateField`` turns into a ``date`` with GOV.UK error messages. The
    inputs are named ``<name>_day``, ``<name>_month`` and ``<name>_year`` and their
    ids are ``<id>_day`` and so on, so the error summary can link to the first
    box with a problem.
    """

    parts = ("day", "month", "year")
    # The date input is a group of inputs: rendered in a fieldset with a legend.
    use_fieldset = True

    def __init__(self, attrs=None, *, parts: Sequence[str] = ("day", "month", "year")):
        super().__init__(attrs)
        self.parts = tuple(parts)

    def value_from_datadict(self, data, files, name):
        return tuple(str(data.get(f"{name}_{part}", "")).strip() for part in self.parts)

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}_{part}" in data for part in self.parts)

    def decompress(self, value) -> tuple[str, ...]:
        """Split a date (or the submitted tuple) into the strings shown in the boxes."""
        if value is None or value == "":
            return tuple("" for _ in self.parts)
        if isinstance(value, list | tuple):
            return tuple(str(v) for v in value)
        return tuple(str(getattr(value, part)) for part in self.parts)

    def id_for_label(self, id_):
        return f"{id_}_{self.parts[0]}" if id_ else id_

    def format_value(self, value):
        return self.decompress(value)
