"""Template filters for SNA pages."""

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from svduty.analysis.cache import memoized
from svduty.analysis.stats import suppress as suppress_count

register = template.Library()


@register.filter
def sna_count(value, suppressed=False):
    """A count for display: suppressed (1 to the threshold) on outputs that leave the
    partnership, otherwise with thousands separators."""
    if value is None:
        return "Not available"
    if suppressed:
        return suppress_count(int(value), settings.SUPPRESSION_THRESHOLD).display
    return number_format(value, force_grouping=True)


@register.filter
def percent(value, places=1):
    if value is None:
        return "Not available"
    return f"{float(value) * 100:.{int(places)}f}%"


@register.filter
def key_label(value):
    """'gi_star' -> 'Gi star'."""
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


# --- Fast tables ----------------------------------------------------------------------
# The SNA pages hold a few thousand table cells; through includes/table.html (a loop
# with three filters per cell) they were most of a dashboard's rendering time. These
# write the same markup in Python. tests/unit/analysis/test_sna_render.py checks the
# output against includes/table.html, includes/chart.html and includes/map.html.


@memoized(8)
def _plain_grouping(language: str | None) -> bool:
    """Whether numbers read 1,234,567.5 in this language (en-gb: yes)."""
    return number_format(-1234567.5, force_grouping=True) == "-1,234,567.5"


def _number(value, plain: bool | None = None) -> str:
    """govuk_number(value), escaped; ints and plain floats formatted directly
    (Django's number_format looks up the locale's formats on every call, a third
    of the time of a table). test_sna_render checks they agree."""
    from svduty.core.templatetags.govuk import govuk_number

    if plain is None:
        plain = _plain_grouping(get_language())
    if plain and type(value) in (int, float):
        text = str(value)
        if type(value) is int:
            return f"{value:,}"
        if "e" not in text and "n" not in text:  # not 1e-05, nan or inf
            whole, _, decimals = text.lstrip("-").partition(".")
            sign = "-" if text.startswith("-") else ""
            return f"{sign}{int(whole):,}.{decimals}"
    return conditional_escape(govuk_number(value))


@register.simple_tag
def sna_table(caption, head, rows, caption_size="m"):
    """includes/table.html (without `suppress`) for a caption, head and rows."""
    from svduty.core.templatetags.govuk import is_number, with_numeric

    out = [
        '<table class="govuk-table">',
        f'<caption class="govuk-table__caption govuk-table__caption--{escape(caption_size or "m")}">'  # noqa: E501
        f"{conditional_escape(caption)}</caption>",
    ]
    if head:
        out.append('<thead class="govuk-table__head"><tr class="govuk-table__row">')
        for heading, numeric in with_numeric(head, rows):
            extra = " govuk-table__header--numeric" if numeric else ""
            out.append(
                f'<th scope="col" class="govuk-table__header{extra}">'
                f"{conditional_escape(heading)}</th>"
            )
        out.append("</tr></thead>")
    out.append('<tbody class="govuk-table__body">')
    plain = _plain_grouping(get_language())
    for row in rows or []:
        out.append('<tr class="govuk-table__row">')
        for index, cell in enumerate(row):
            if index == 0:
                out.append(
                    f'<th scope="row" class="govuk-table__header">'
                    f"{conditional_escape(cell)}</th>"
                )
            elif is_number(cell):
                out.append(
                    '<td class="govuk-table__cell govuk-table__cell--numeric">'
                    f"{_number(cell, plain)}</td>"
                )
            else:
                text = "" if cell is None else cell
                out.append(
                    f'<td class="govuk-table__cell">{conditional_escape(text)}</td>'
                )
        out.append("</tr>")
    out.append("</tbody></table>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value escaped above


@register.simple_tag
def sna_map_rows(features):
    """The body rows of includes/map.html's table."""
    out = []
    plain = _plain_grouping(get_language())
    for feature in features:
        properties = feature["properties"]
        if properties.get("value_label"):
            value = conditional_escape(properties["value_label"])
        elif properties.get("value") is None:
            value = "No data"
        else:
            value = _number(properties["value"], plain)
        out.append(
            '<tr class="govuk-table__row">'
            f'<th scope="row" class="govuk-table__header">'
            f"{conditional_escape(properties['name'])}</th>"
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{value}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value escaped above
