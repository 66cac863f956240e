import errno

from django.conf import settings


class SecurityHeadersMiddleware:
    """Headers Django does not set itself (CSP comes from django-csp)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages for signed-in users hold personal data: never cache them.
            response.setdefault("Cache-Control", "no-store")
        return response


def _has_nul(query) -> bool:
    """True if any key or value of a QueryDict holds a NUL character."""
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query.lists()
    )


class RejectNulBytesMiddleware:
    """A NUL character can be typed into an address or a form field but PostgreSQL
    cannot store or compare it, so a search for "a%00b" was a 500. No field in this
    service may contain one: refuse the request as malformed (400) before any view
    runs. (JSON bodies are checked by `svduty.core.parsers.StrictJSONParser`.)"""

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        suspect = "\x00" in request.path or _has_nul(request.GET)
        if not suspect and request.content_type in self.FORM_TYPES:
            try:
                suspect = _has_nul(request.POST)
            except OSError as error:
                # Reading the form stores its files (a large one in a temporary
                # file): a full disk fails that write. Say so, not a 500.
                if error.errno not in (errno.ENOSPC, errno.EDQUOT):
                    raise
                from .views import no_room

                return no_room(request)
        if suspect:
            from .views import bad_request

            return bad_request(request)
        return self.get_response(request)
