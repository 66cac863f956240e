from django import template

from svduty.cases.panels import panels_for
from svduty.core.reversing import fast_reverse

register = template.Library()


@register.inclusion_tag("cases/_record_panels.html", takes_context=True)
def record_panels(context, person):
    """The panels other apps registered for the child's page (see cases.panels)."""
    user = context["request"].user
    return {
        "panels": [
            {
                "title": panel.title,
                "url": fast_reverse(panel.url_name, [person.pk]),
                # Named after the panel's URL, not its position: the order depends
                # on which apps registered first.
                "id": "record-panel-"
                + panel.url_name.replace(":", "-").replace("_", "-"),
            }
            for panel in panels_for(user)
        ]
    }
