"""Template filters for SNA pages."""

from django import template
from django.conf import settings
from django.utils.formats import number_format

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
