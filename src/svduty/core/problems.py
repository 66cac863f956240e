"""API errors as JSON problem details (RFC 9457).

Every error an API client can meet has the same shape, whether DRF raised it (a
validation error, a refused permission, a record outside the caller's scope) or Django
did before any API view ran (an unknown address under /api/, a malformed request, a
server error): `{"type", "title", "status", "detail"}`, plus `errors` with each field's
messages for a validation error. Content type `application/problem+json`.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from svduty.core.policies import REFUSAL_ATTRIBUTE

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def problem_body(
    status: int, detail: str | None = None, errors: Any = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(
    status: int, detail: str | None = None, errors: Any = None
) -> JsonResponse:
    return JsonResponse(
        problem_body(status, detail, errors),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with its answer reshaped as problem details."""
    response = exception_handler(exc, context)
    request = context.get("request")
    if response is not None and response.status_code in (403, 404) and request:
        # Left for the audit trail's refusal middleware, as the HTML views do.
        setattr(getattr(request, "_request", request), REFUSAL_ATTRIBUTE, exc)
    if response is None:
        return None  # not an API error DRF knows: Django's handler500 answers
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        message = "Some of what was sent is not valid: see errors."
        response.data = problem_body(response.status_code, message, errors)
    else:
        detail = data.get("detail") if isinstance(data, dict) else None
        response.data = problem_body(response.status_code, str(detail or "") or None)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
