"""Values every page needs: the demo banner, the navigation for the user's roles and
the session-timeout settings for the warning dialog."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from svduty.core.authorisation import Permission

from .policies import user_permissions

# (label, url name, permission needed or None for any signed-in user). Domain apps add
# theirs here so that the navigation is defined in one place. Every url name must
# resolve: the system check `svduty.E001` (core/checks.py) fails start-up otherwise.
NAVIGATION: list[tuple[str, str, Permission | None]] = [
    ("Home", "core:home", None),
    ("Partnerships", "partnership:list", Permission.VIEW_PARTNERSHIP),
    ("Children", "cases:my_cases", Permission.VIEW_CASES),
    ("Referrals", "cases:referrals", Permission.TRIAGE_REFERRALS),
    ("Meetings", "meetings:list", Permission.VIEW_CASES),
    ("Places", "places:list", Permission.VIEW_PLACES),
    ("Services", "services:catalogue", Permission.VIEW_PARTNERSHIP),
    ("Evidence", "evidence:outcomes", Permission.VIEW_EVIDENCE),
    ("Record linkage", "linkage:queue", Permission.REVIEW_LINKAGE),
    ("Orders", "svro:register", Permission.MANAGE_SVRO),
    ("Order scrutiny", "svro:scrutiny", Permission.VIEW_SVRO_SCRUTINY),
    ("Settings", "cases:settings", Permission.MANAGE_CASE_CONFIGURATION),
    ("Data", "sharing:home", Permission.IMPORT_DATA),
    ("Needs assessment", "analysis:home", Permission.VIEW_ANALYSIS),
    ("Users", "accounts:user_list", Permission.MANAGE_USERS),
    ("Audit", "audit:event_list", Permission.VIEW_AUDIT),
    ("Data protection", "privacy:home", Permission.DATA_PROTECTION),
]


#: The links each set of permissions is shown, and the other addresses every page
#: needs, per URL configuration and script prefix: reversed once per process
#: rather than on every page.
_REVERSED: dict[tuple, Any] = {}


def _urls_key() -> tuple:
    return (get_urlconf(), get_script_prefix())


def _links(user) -> list[tuple[str, str]]:
    permissions = user_permissions(user)
    key = ("navigation", permissions, *_urls_key())
    links = _REVERSED.get(key)
    if links is None:
        links = _REVERSED[key] = [
            (label, reverse(url_name))
            for label, url_name, permission in NAVIGATION
            if permission is None or permission in permissions
        ]
    return links


def _session_urls() -> dict[str, str]:
    key = ("session", *_urls_key())
    urls = _REVERSED.get(key)
    if urls is None:
        urls = _REVERSED[key] = {
            "keep_alive_url": reverse("core:keep_alive"),
            "sign_out_url": reverse("account_logout"),
            "timed_out_url": reverse("core:timed_out"),
        }
    return urls


def _navigation(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = [
        {"label": label, "url": url, "active": False} for label, url in _links(user)
    ]
    # The current section is the item whose address is the longest prefix of the
    # page's ("Settings" at /children/settings/, not also "Children" at /children/).
    matches = [
        item
        for item in items
        if (
            request.path == item["url"]
            if item["url"] == "/"
            else request.path.startswith(item["url"])
        )
    ]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return items


def site(request) -> dict:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    timeout = None
    if signed_in:
        timeout = {
            "idle_seconds": int(settings.SESSION_IDLE_TIMEOUT.total_seconds()),
            "warning_seconds": int(settings.SESSION_WARNING_BEFORE.total_seconds()),
            **_session_urls(),
        }
    return {
        "demo_mode": settings.DEMO_MODE,
        "mfa_disabled": settings.MFA_DISABLED,
        "service_navigation": _navigation(request) if user is not None else [],
        "session_timeout": timeout,
        "current_agency_name": user.agency_names() if signed_in else "",
    }
