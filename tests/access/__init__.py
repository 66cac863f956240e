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
    # Query (GET) or form (POST) data sent with `out_of_scope`, for pages that take
    # the object from the request rather than the path (`?partnership=`).
    out_of_scope_data: Callable[[Any], dict] | None = None


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


def with_copies_out_of_scope(
    routes: list[Route], *args: Any, skip: frozenset[str] = frozenset(), **kw: Any
) -> list[Route]:
    """The same routes, each page about an object (`kwargs`) given `out_of_scope`:
    its own `kwargs` builder called with `args`/`kw` as well, which make it name the
    other partnership's (or force's) copy of the object, e.g. `kwargs(ctx,
    "places_out")` or `kwargs(ctx, out=True)`. Routes with their own `out_of_scope`,
    those named in `skip` and public pages are left as they are."""
    import dataclasses

    def copy(kwargs: Callable[..., dict]) -> Callable[[Any], dict]:
        return lambda ctx: kwargs(ctx, *args, **kw)

    return [
        dataclasses.replace(route, out_of_scope=copy(route.kwargs))
        if route.kwargs is not None
        and route.out_of_scope is None
        and route.name not in skip
        and not route.public
        else route
        for route in routes
    ]


#: Pages whose URL names something, but where no object of that kind is out of any
#: allowed role's scope, so the matrix cannot ask for a 404. Each with its reason;
#: `test_url_coverage.test_every_page_about_an_object_names_one_out_of_scope` fails
#: for a page about an object that has neither an `out_of_scope` entry nor a line here.
_INSTALLATION_CONFIG = (
    "installation-wide configuration (one set for every partnership), kept by "
    "system administrators and team managers: there is no other partnership's copy"
)
NO_OUT_OF_SCOPE: dict[str, str] = {
    "accounts:user_detail": "system administrators manage every account in the "
    "installation (UserQuerySet.visible_to); no other role is allowed",
    "accounts:disable": "as accounts:user_detail",
    "accounts:enable": "as accounts:user_detail",
    "cases:language_rule_edit": _INSTALLATION_CONFIG,
    "cases:language_rule_active": _INSTALLATION_CONFIG,
    "cases:assessment_type_edit": _INSTALLATION_CONFIG,
    "cases:assessment_type_active": _INSTALLATION_CONFIG,
    "cases:screening_tool_version": _INSTALLATION_CONFIG,
    "cases:screening_tool_settings": _INSTALLATION_CONFIG,
    "cases:screening_tool_publish": _INSTALLATION_CONFIG,
    "cases:screening_group_add": _INSTALLATION_CONFIG,
    "cases:screening_group_edit": _INSTALLATION_CONFIG,
    "cases:screening_group_move": _INSTALLATION_CONFIG,
    "cases:screening_group_remove": _INSTALLATION_CONFIG,
    "cases:screening_indicator_add": _INSTALLATION_CONFIG,
    "cases:screening_indicator_edit": _INSTALLATION_CONFIG,
    "cases:screening_indicator_move": _INSTALLATION_CONFIG,
    "cases:screening_indicator_remove": _INSTALLATION_CONFIG,
    "svro:order_type_edit": "order types are national configuration shared by "
    "every force: there is no other force's copy",
    "api-svro-order-type": "as svro:order_type_edit",
    "privacy:sar_review": "only data protection officers (the auditor role, "
    "VIEW_AUDIT) use it, and they oversee the whole installation: nothing is out "
    "of their scope",
    "privacy:sar_export": "as privacy:sar_review",
    "privacy:sar_export_pdf": "as privacy:sar_review",
    "accounts:reset_mfa": "as accounts:user_detail",
    "mfa_edit_webauthn": "allauth asks for the password first; then the key is "
    "looked up among the user's own keys only: another user's key is a 404 "
    "(tests/integration/accounts/test_security_keys.py)",
    "mfa_remove_webauthn": "as mfa_edit_webauthn",
}


def unchecked(routes) -> list[str]:
    """Pages about an object (a URL parameter) that name no out-of-scope object and
    are not in NO_OUT_OF_SCOPE. Public pages, multi-step flows and pages no role may
    use (each role's refusal is already checked) are not asked."""
    return sorted(
        route.name
        for route in routes
        if route.kwargs is not None
        and route.out_of_scope is None
        and not route.public
        and not route.flow_only
        and route.allowed
        and route.name not in NO_OUT_OF_SCOPE
    )


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
