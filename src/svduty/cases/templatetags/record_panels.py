from django import template
from django.urls import reverse

from svduty.cases.panels import panels_for

register = template.Library()


@register.inclusion_tag("cases/_record_panels.html", takes_context=True)
def record_panels(context, person):
    """The panels other apps registered for the child's page (see cases.panels)."""
    user = context["request"].user
    return {
        "panels": [
            {
                "title": panel.title,
                "url": reverse(panel.url_name, kwargs={"pk": person.pk}),
                "id": f"record-panel-{index}",
            }
            for index, panel in enumerate(panels_for(user))
        ]
    }
