"""Django's ``static`` template library, with each file's address worked out once
per storage: base.html names fourteen static files on every page, and the storage
joined each address again every time (issue 15). ``{% load svduty_static %}``
gives the same tags (``static``, ``get_static_prefix``, ``get_media_prefix``) with
the same output. (Registering it as the ``static`` library instead trips Django's
templates.W003 check for two libraries of one name.)"""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags import static as django_static

register = template.Library()
register.tag("get_static_prefix", django_static.get_static_prefix)
register.tag("get_media_prefix", django_static.get_media_prefix)

#: path -> (the storage that gave the address, the address).
_addresses: dict[str, tuple[Any, str]] = {}


class StaticNode(django_static.StaticNode):
    @classmethod
    def handle_simple(cls, path: str) -> str:
        from django.apps import apps

        if not apps.is_installed("django.contrib.staticfiles"):
            return super().handle_simple(path)
        from django.contrib.staticfiles.storage import staticfiles_storage

        lazy: Any = staticfiles_storage  # a LazyObject around the storage
        known = _addresses.get(path)
        if known is not None and known[0] is lazy._wrapped:
            return known[1]
        address = lazy.url(path)  # sets the storage up if need be
        _addresses[path] = (lazy._wrapped, address)
        return address


@register.tag("static")
def do_static(parser: Any, token: Any) -> Any:
    """``{% static path [as varname] %}``, as Django's."""
    return StaticNode.handle_token(parser, token)
