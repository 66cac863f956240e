"""The access matrix: every URL pattern in svduty, who may reach it, and how to call it.

Each app keeps its entries in `tests/access/<app>.py` as a list `ROUTES` (and optionally
a `setup(ctx)` that creates the objects its URLs need). `test_url_coverage.py` fails
when a URL pattern has no entry here, so nobody can add a page without deciding who
may see it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from svduty.core.authorisation import Role

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class Route:
    name: str
    # Public pages are reachable without signing in.
    public: bool = False
    # Roles that may use the page; others get 403 (or 404 for objects out of scope).
    allowed: frozenset[Role] = ALL_ROLES
    # Builds the URL's keyword arguments from the matrix context.
    kwargs: Callable[[Any], dict] | None = None
    method: str = "get"
    # A page reached only in a multi-step flow (allauth's MFA stage, password reset
    # keys): covered by its own tests, listed here so coverage stays complete.
    flow_only: bool = False
    note: str = ""
    data: dict = field(default_factory=dict)
    # What an allowed role gets on the in-scope object: `expect` (200 unless the page
    # answers otherwise on purpose, e.g. 204), or a redirect to the URL named
    # `redirects_to` (e.g. a POST that goes back to its list, a GET that only
    # redirects).
    expect: int = 200
    redirects_to: str | None = None
    # Keyword arguments naming an object of the same kind that the allowed roles may
    # NOT see (another partnership's): every role gets 404 there.
    out_of_scope: Callable[[Any], dict] | None = None


def elsewhere(routes: list[Route]) -> list[Route]:
    """The same routes, each with `out_of_scope` naming the same object in another
    partnership (ctx.other_partnership, made by tests/access/partnership.py): the
    URL's slug is swapped for the other partnership's, which no matrix user belongs
    to. Public pages and the API (keyed by primary key, not slug) are left as they
    are."""
    import dataclasses

    def swapped(kwargs):
        return lambda ctx: {**kwargs(ctx), "slug": ctx.other_partnership.slug}

    return [
        dataclasses.replace(route, out_of_scope=swapped(route.kwargs))
        if route.kwargs is not None
        and route.out_of_scope is None
        and not route.public
        and not route.name.startswith("api-")
        else route
        for route in routes
    ]


def load_modules():
    import tests.access as package

    for info in pkgutil.iter_modules(package.__path__):
        yield importlib.import_module(f"tests.access.{info.name}")


def all_routes() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for module in load_modules():
        for route in getattr(module, "ROUTES", []):
            if route.name in routes:
                raise AssertionError(
                    f"{route.name} is listed twice in the access matrix"
                )
            routes[route.name] = route
    return routes


def setups() -> list[Callable]:
    return [module.setup for module in load_modules() if hasattr(module, "setup")]


def url_names(patterns=None, prefix: str = "") -> list[str]:
    """Every named URL pattern, with namespaces, e.g. 'accounts:user_list'."""
    from django.urls import URLPattern, URLResolver, get_resolver

    if patterns is None:
        patterns = get_resolver().url_patterns
    names: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            inner_prefix = f"{prefix}{namespace}:" if namespace else prefix
            names.extend(url_names(pattern.url_patterns, inner_prefix))
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                names.append(prefix + pattern.name)
            else:
                names.append(f"{prefix}<unnamed {pattern.pattern}>")
    return names


def missing_entries(names: list[str], routes: dict[str, Route]) -> list[str]:
    return sorted({n for n in names if n not in routes})
