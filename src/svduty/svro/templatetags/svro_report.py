from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict, key: str) -> Any:
    return mapping.get(key, "")
