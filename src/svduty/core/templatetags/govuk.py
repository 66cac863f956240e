"""GOV.UK template tags and filters. Registered as a template builtin, so every
template can use them without ``{% load %}``.

Tags:   {% page_title %}…{% endpage_title %}  {% govuk_field bound_field %}
        {% govuk_date value %}  {% govuk_tag text colour %}  {% pagination page %}
        {% error_summary_items form as items %}  {% govuk_form_fields form as fields %}
        {% error_prefix form %}
Filters: |suppressed  |govuk_date  |is_number  |govuk_number
"""

from __future__ import annotations

import datetime as dt
from numbers import Number
from typing import Any

from django import forms, template
from django.conf import settings
from django.core.paginator import Page
from django.forms import BoundField
from django.template import Context, defaulttags
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from svduty.core.forms import error_summary_items as _error_summary_items
from svduty.core.forms import govuk_field_context
from svduty.core.reversing import fast_reverse
from svduty.core.widgets import GovukChoiceOptionsMixin

register = template.Library()

SERVICE_NAME = "svduty"


# --- Page title ---------------------------------------------------------------


def _forms_with_errors(context) -> bool:
    for value in context.flatten().values():
        if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
            return True
        if (
            isinstance(value, forms.BaseFormSet)
            and value.is_bound
            and not value.is_valid()
        ):
            return True
    return False


class PageTitleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        title = " ".join(self.nodelist.render(context).split())
        prefix = "Error: " if _forms_with_errors(context) else ""
        if not title:
            return f"{prefix}{SERVICE_NAME}"
        return f"{prefix}{title} – {SERVICE_NAME}"


@register.tag
def page_title(parser, token):
    """Usage (base.html)::

        <title>{% page_title %}{% block title %}{% endblock %}{% endpage_title %}
        </title>

    Renders "{title} – svduty", and prefixes "Error: " when any bound form (or
    formset) in the context has errors, as the Design System asks.
    """
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)


# --- Addresses ----------------------------------------------------------------


class FastURLNode(defaulttags.URLNode):
    """Django's ``{% url %}``, with addresses of ids reversed by
    `svduty.core.reversing.fast_reverse` (the same address, worked out once per
    view name): pages link to dozens of them."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = fast_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        if context.autoescape:
            url = conditional_escape(url)
        return url


@register.tag
def url(parser, token):
    """``{% url %}`` as Django's (the same syntax and addresses), faster for ids:
    this library is a builtin loaded after Django's, so it replaces the tag in
    every template."""
    node = defaulttags.url(parser, token)
    node.__class__ = FastURLNode
    return node


@register.simple_tag(takes_context=True)
def error_prefix(context, *forms_to_check):
    """ "Error: " if any of the given forms (or, with none given, any form) has
    errors."""
    if forms_to_check:
        has_errors = any(
            getattr(f, "is_bound", False) and f.errors for f in forms_to_check
        )
    else:
        has_errors = _forms_with_errors(context)
    return "Error: " if has_errors else ""


# --- Forms --------------------------------------------------------------------


@register.simple_tag
def govuk_field(bound_field):
    """Render one bound field as its GOV.UK component (used by field.html)."""
    ctx = govuk_field_context(bound_field)
    if ctx["kind"] == "hidden":
        return bound_field.as_widget()
    return mark_safe(render_to_string(f"govuk/forms/{ctx['kind']}.html", ctx))  # noqa: S308 – our templates escape


@register.simple_tag
def govuk_form_fields(form: forms.BaseForm) -> list[BoundField]:
    """The visible fields that ``{{ form }}`` renders at the top level: not hidden, and
    not shown inside another field's conditional reveal."""
    nested: set[str] = set()
    for field in form.fields.values():
        if isinstance(field.widget, GovukChoiceOptionsMixin):
            nested.update(field.widget.conditional_field_names())
    return [bf for bf in form.visible_fields() if bf.name not in nested]


@register.simple_tag
def error_summary_items(form):
    """``{% error_summary_items form as items %}``: [{text, href}, …]."""
    if form is None or not hasattr(form, "errors"):
        return []
    return _error_summary_items(form)


# --- Dates and numbers --------------------------------------------------------


@register.simple_tag(name="govuk_date")
def govuk_date_tag(value, with_time=False):
    """``{% govuk_date value %}`` → "27 November 2026" (GOV.UK style).

    With ``with_time=True`` a datetime is shown as "27 November 2026 at 14:05".
    """
    return govuk_date(value, with_time)


# Every time on the platform is shown on the 24-hour clock as H:i ("14:05"), after
# the date in GOV.UK style: "27 November 2026 at 14:05" in text and summary lists,
# "27 Nov 2026, 14:05" in tables (issue 16: pages mixed "14:16" and "2:15pm").
LONG_DATETIME = "j F Y \\a\\t H:i"
SHORT_DATETIME = "j M Y, H:i"
SHORT_DATETIME_SECONDS = "j M Y, H:i:s"


#: Month names per language and length, as the "F" ("November") and "M" ("Nov")
#: date formats give them (a lazy translation resolved on every use otherwise; a
#: child's page shows about twenty dates).
_MONTH_NAMES: dict[tuple[str | None, bool], dict[int, str]] = {}


def _month_names(short: bool = False) -> dict[int, str]:
    key = (get_language(), short)
    names = _MONTH_NAMES.get(key)
    if names is None:
        names = _MONTH_NAMES[key] = (
            {n: str(name).title() for n, name in MONTHS_3.items()}
            if short
            else {n: str(name) for n, name in MONTHS.items()}
        )
    return names


def govuk_short_date(day: dt.date) -> str:
    """ "27 Nov 2026", as ``date:"j M Y"`` writes it, for tables built in Python
    (the case list, a place's and a service's pages)."""
    return f"{day.day} {_month_names(short=True)[day.month]} {day.year:04d}"


@register.filter(name="govuk_date")
def govuk_date(value, with_time=False):
    """ "27 November 2026" (``date_format(value, "j F Y")``), or with `with_time`
    "27 November 2026 at 14:05" (`LONG_DATETIME`), written directly: the same
    text as the date format gives, without parsing the format each time."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        if with_time:
            return (
                f"{value.day} {_month_names()[value.month]} {value.year:04d} "
                f"at {value.hour:02d}:{value.minute:02d}"
            )
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {_month_names()[value.month]} {value.year:04d}"
    return value


@register.filter(name="govuk_datetime")
def govuk_datetime(value, style=""):
    """A date and time: "27 November 2026 at 14:05"; ``"short"`` for tables,
    "27 Nov 2026, 14:05"; ``"seconds"`` where events a second apart must be told
    apart (the audit trail), "27 Nov 2026, 14:05:09". Empty for no value, so
    ``|default:"Never"`` works."""
    if value in (None, ""):
        return ""
    if not isinstance(value, dt.datetime):
        return govuk_date(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    fmt = {"short": SHORT_DATETIME, "seconds": SHORT_DATETIME_SECONDS}.get(
        style, LONG_DATETIME
    )
    return date_format(value, fmt)


@register.filter
def suppressed(value, threshold=None):
    """Small-number suppression (convention 9): counts from 1 to the threshold
    (``settings.SUPPRESSION_THRESHOLD``, default 4) become "fewer than 5".

    0 stays 0; anything that is not a number is returned unchanged.
    """
    if threshold in (None, ""):
        threshold = getattr(settings, "SUPPRESSION_THRESHOLD", 4)
    threshold = int(threshold)
    if isinstance(value, bool) or not isinstance(value, Number | str):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if 0 < number <= threshold:
        return f"fewer than {threshold + 1}"
    return value


@register.filter
def is_number(value) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


@register.filter
def govuk_number(value):
    """1234567 → "1,234,567"; leaves text (such as "fewer than 5") alone."""
    if is_number(value):
        return number_format(value, force_grouping=True)
    return value


# --- Tags (status labels) -----------------------------------------------------

TAG_COLOURS = {
    "grey",
    "green",
    "turquoise",
    "blue",
    "light-blue",
    "purple",
    "pink",
    "red",
    "orange",
    "yellow",
}

# Colours for statuses used across the apps; any other text is the default (blue).
STATUS_COLOURS = {
    "draft": "grey",
    "not started": "grey",
    "closed": "grey",
    "withdrawn": "grey",
    "expired": "grey",
    "inactive": "grey",
    "in progress": "light-blue",
    "in review": "light-blue",
    "pending": "yellow",
    "awaiting sign-off": "yellow",
    "due soon": "orange",
    "overdue": "red",
    "breach": "red",
    "rejected": "red",
    "cancelled": "red",
    "suspended": "orange",
    "active": "green",
    "approved": "green",
    "signed off": "green",
    "published": "green",
    "complete": "green",
    "completed": "green",
    "open": "turquoise",
    "new": "blue",
}


@register.simple_tag(name="govuk_tag")
def govuk_tag(text, colour=None):
    """``{% govuk_tag "Overdue" %}`` or ``{% govuk_tag status "green" %}``."""
    text = "" if text is None else str(text)
    colour = colour or STATUS_COLOURS.get(text.strip().lower())
    if colour and colour not in TAG_COLOURS:
        raise template.TemplateSyntaxError(
            f"govuk_tag colour must be one of {sorted(TAG_COLOURS)}, not {colour!r}"
        )
    if colour and colour != "blue":
        return format_html(
            '<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, text
        )
    return format_html('<strong class="govuk-tag">{}</strong>', text)


# --- Pagination ---------------------------------------------------------------


def _page_numbers(current: int, last: int) -> list[int | None]:
    """1 … 4 5 6 … 10: first, last, and the current page's neighbours."""
    wanted = {1, last, current - 1, current, current + 1}
    numbers = sorted(n for n in wanted if 1 <= n <= last)
    result: list[int | None] = []
    previous = 0
    for n in numbers:
        if n - previous > 1:
            result.append(None)
        result.append(n)
        previous = n
    return result


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(
    context: Context,
    page: Page[Any] | None,
    page_param: str = "page",
    label: str = "Pagination",
) -> dict[str, Any]:
    """``{% pagination page_obj %}``: the GOV.UK pagination component for a Django
    ``Page``, keeping the other query string parameters (filters, sort order)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None

    def url_for(number: int) -> str:
        if query is None:
            return f"?{page_param}={number}"
        q = query.copy()
        q[page_param] = str(number)
        return "?" + q.urlencode()

    ctx: dict[str, Any] = {"page": page, "label": label, "items": []}
    if page is None or page.paginator.num_pages <= 1:
        ctx["show"] = False
        return ctx
    ctx["show"] = True
    if page.has_previous():
        ctx["previous_url"] = url_for(page.previous_page_number())
    if page.has_next():
        ctx["next_url"] = url_for(page.next_page_number())
    for n in _page_numbers(page.number, page.paginator.num_pages):
        if n is None:
            ctx["items"].append({"ellipsis": True})
        else:
            ctx["items"].append(
                {"number": n, "url": url_for(n), "current": n == page.number}
            )
    return ctx


@register.filter
def any_has(rows, key):
    """True if any dict in ``rows`` has a truthy ``key`` (summary list actions)."""
    return any(isinstance(row, dict) and row.get(key) for row in rows or [])


@register.filter
def with_numeric(head, rows):
    """Pair each column heading with whether its column holds numbers, so numeric
    headings are right-aligned like their cells: [(heading, is_numeric), …]."""
    rows = list(rows or [])
    pairs = []
    for index, heading in enumerate(head or []):
        cells = [row[index] for row in rows if index < len(row)]
        # The first column holds row headers; a column with any number is numeric
        # (suppressed counts show as text, such as "fewer than 5").
        pairs.append((heading, index > 0 and any(is_number(c) for c in cells)))
    return pairs
