"""A form sent twice gives one result (issue 14, build 8).

A double click on "Save", a browser that resends a post, or a slow network and an
impatient user send the same form twice, often at the same moment. Without a guard
both are done: two children, two plan actions, two imports queued.

`DoubleSubmitMiddleware` recognises the same form sent again by its *fingerprint*:
the signed-in user and session, the method and address, and every field sent with
its value (files by name, size and SHA-256), which includes the CSRF token the page
drew into the form. That token is new each time a page is drawn, so the fingerprint
identifies one rendered form sent with the same answers; the same answers typed into
a form drawn again are a new submission, done again, as the user meant.

- Posts with the same fingerprint are taken one at a time (a PostgreSQL advisory lock
  on the fingerprint, held on the request's connection while it is answered), so two
  posts at the same moment cannot both run.
- When a post's answer is a redirect (the pattern every form here follows on
  success), the fingerprint and the redirect are kept for `SUBMISSION_WINDOW_SECONDS`.
  The same post again in that time is not done again: the user is sent where the
  first went, with "You sent this form twice. It was saved once."
- An answer that is not a redirect (the form shown again with errors, a refusal, an
  error) keeps nothing, so sending the form again tries again.

Only form posts of signed-in users that carry a CSRF token are guarded: the API
(tokens, no CSRF token; clients retry on purpose) and sign-in are left alone. Imports
are also guarded in the pipeline itself: the same file published twice at once gives
one import and one batch marked duplicate (`sharing.imports._publish`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

#: The first key of the advisory lock held while a post is answered.
SUBMISSION_LOCK = 14008
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
TWICE = "You sent this form twice. It was saved once."


def fingerprint(request: HttpRequest) -> str | None:
    """The post's fingerprint, or None when it is not a guarded form post."""
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if request.path.startswith("/api/"):
        return None
    if not request.POST.get("csrfmiddlewaretoken"):
        return None
    files = []
    for name, uploads in sorted(request.FILES.lists()):
        for upload in uploads:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            files.append([name, upload.name, upload.size, digest.hexdigest()])
    sent = [[key, values] for key, values in sorted(request.POST.lists())]
    text = json.dumps(
        [
            user.pk,
            request.session.session_key or "",
            request.get_full_path(),
            sent,
            files,
        ]
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_LOCK_SQL = {
    "lock": "SELECT pg_advisory_lock(%s, hashtext(%s))",
    "unlock": "SELECT pg_advisory_unlock(%s, hashtext(%s))",
}


def _lock(key: str, which: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_SQL[which], [SUBMISSION_LOCK, key])


def _same_site(response: HttpResponse) -> str | None:
    if response.status_code not in (301, 302, 303):
        return None
    location = response.get("Location", "")
    if urlsplit(location).netloc not in ("", "testserver") or len(location) > 2000:
        return None
    return location


class DoubleSubmitMiddleware:
    """See the module notes. Goes after the session, authentication, messages and MFA
    middleware, so it sees who is signed in and can leave a message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = fingerprint(request)
        if key is None:
            return self.get_response(request)
        from .models import Submission

        _lock(key, "lock")
        try:
            now = timezone.now()
            window = dt.timedelta(seconds=settings.SUBMISSION_WINDOW_SECONDS)
            earlier = (
                Submission.objects.filter(fingerprint=key, created_at__gte=now - window)
                .values_list("location", flat=True)
                .first()
            )
            if earlier is not None:
                messages.info(request, TWICE)
                return HttpResponseRedirect(earlier)
            response = self.get_response(request)
            location = _same_site(response)
            if location is not None:
                Submission.objects.filter(created_at__lt=now - window).delete()
                Submission.objects.update_or_create(
                    fingerprint=key,
                    defaults={"location": location, "created_at": timezone.now()},
                )
            return response
        finally:
            # When the connection went (the database restarted), so did its lock.
            with contextlib.suppress(DatabaseError):
                _lock(key, "unlock")
