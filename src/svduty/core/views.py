"""Pages that belong to no domain app: home, the accessibility statement, privacy
notice and cookies page, the session keep-alive and timed-out pages, and the error
pages (wired up as handler400/403/404/500 in config/urls.py)."""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from svduty.core.authorisation import Permission
from svduty.core.home import panels_for
from svduty.core.policies import has_permission
from svduty.core.problems import is_api_request, problem_response


def _contact() -> dict:
    # The partnership's support address, if the installation has one
    # (settings.SUPPORT_EMAIL); the pages fall back to "your administrator".
    return {"support_email": getattr(settings, "SUPPORT_EMAIL", "")}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The start page for visitors; for signed-in users, what needs doing (the panels
    apps register in svduty.core.home) and the links to their areas."""
    if request.user.is_authenticated:
        return render(
            request, "core/dashboard.html", {"home_panels": panels_for(request.user)}
        )
    return render(request, "core/start.html")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon
    rather than answer every page with a 404 in the log."""
    return redirect(static("build/assets/images/favicon.ico"))


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html", _contact())


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", _contact())


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    context = {
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "messages_cookie_name": getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
        "session_hours": int(settings.SESSION_COOKIE_AGE // 3600),
    }
    return render(request, "core/cookies.html", context)


@never_cache
@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in" in the timeout warning.

    Any request from a signed-in user resets their idle timer (the session
    middleware records the activity), so there is nothing to do but answer. A
    visitor whose session has already ended gets an empty 401, not a redirect to
    the sign-in page, so the script can send them to the timed-out page.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session.modified = True
    return HttpResponse(status=204)


@never_cache
@require_http_methods(["GET", "POST"])
def timed_out(request: HttpRequest) -> HttpResponse:
    """ "You have been signed out".

    Only a POST signs out: the warning's countdown can reach this page a moment before
    the server's own idle timeout, so its script posts here (with the CSRF token) to
    make sure the session ends. A GET never ends a session, so no link or image on any
    site can sign a user out; a signed-in user who follows a link here is sent home.
    """
    if request.method == "POST":
        if request.user.is_authenticated:
            logout(request)
        return redirect("core:timed_out")
    if request.user.is_authenticated:
        return redirect("core:home")
    minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
    return render(request, "core/timed_out.html", {"idle_minutes": minutes})


# --- Error pages --------------------------------------------------------------


# Under /api/ each answers as JSON problem details (svduty.core.problems), so an API
# client never has to parse an HTML page.


@requires_csrf_token
def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api_request(request):
        return problem_response(400, "The request was malformed.")
    return render(request, "400.html", status=400)


@requires_csrf_token
def no_room(request: HttpRequest) -> HttpResponse:
    """The disk filled while a request's files streamed in (core.middleware): 507
    Insufficient Storage, saying nothing was saved."""
    message = (
        "The server has no room to store the file sent, so nothing was saved or "
        "queued. Tell your system administrator, then send it again."
    )
    if is_api_request(request):
        return problem_response(507, message)
    return render(request, "507.html", status=507)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api_request(request):
        return problem_response(403, "You do not have permission to do this.")
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    # The same page whether the address is wrong or the record is outside the
    # user's scope (architecture D7): the exception's text is never shown.
    if is_api_request(request):
        return problem_response(404, "Not found.")
    # The signpost to asking for a child's record only for those who may search
    # for children: for anyone else the link itself would be refused.
    can_search = has_permission(request.user, Permission.SEARCH_PEOPLE)
    return render(request, "404.html", {"can_search_children": can_search}, status=404)


def _database_unavailable() -> bool:
    """Is the error being handled the database going away (a restart, a lost
    connection, a server refusing connections)? handler500 runs inside Django's
    `except` block, so the exception is the one in hand."""
    error = sys.exc_info()[1]
    return isinstance(error, (OperationalError, InterfaceError))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    if _database_unavailable():
        # A write in progress was one transaction, which PostgreSQL rolled back when
        # the connection went: nothing of it was saved. Django closes the broken
        # connection when the request ends, so the next request connects afresh
        # (recovery without restarting the service).
        if is_api_request(request):
            response: HttpResponse = problem_response(
                503,
                "The service could not reach its database; nothing was saved. "
                "Try again in a few minutes.",
            )
        else:
            template = loader.get_template("503.html")
            response = HttpResponse(template.render(), status=503)
        response["Retry-After"] = "30"
        return response
    if is_api_request(request):
        return problem_response(500, "Something went wrong on our side.")
    # No context processors or database: whatever broke may be one of them.
    template = loader.get_template("500.html")
    return HttpResponse(template.render(), status=500)
