import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

from svduty.core import viewing
from svduty.core.policies import REFUSAL_ATTRIBUTE

from .context import RequestContext, current
from .refusals import record_refusal


class RequestIdMiddleware:
    """Give each request an id (echoed as X-Request-ID) that ties its audit events
    together."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = current.set(
            RequestContext(
                request_id=request_id, ip_address=request.META.get("REMOTE_ADDR")
            )
        )
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RefusalAuditMiddleware:
    """Records each request refused by the policy layer (svduty.audit.refusals).

    HTML views raise the refusal (Http404, PermissionDenied) and Django turns it into
    the error page: `process_exception` notes it. API views answer with a problem
    response and leave the exception on the request (svduty.core.problems). Either
    way it is recorded once, after the response is made.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        refusal = getattr(request, REFUSAL_ATTRIBUTE, None)
        if refusal is not None and response.status_code in (403, 404):
            record_refusal(request, refusal)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404 | PermissionDenied):
            setattr(request, REFUSAL_ATTRIBUTE, exception)
        return None


class PageViewAuditMiddleware:
    """One view event for a page that showed people's records and wrote no event of
    access itself (svduty.core.viewing): e.g. an edit form prefilled with a child's
    details. Only a successful GET (or HEAD) counts: a POST is a change, audited by
    its action, or a form shown again with its errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = viewing.current.set(viewing.Viewing())
        try:
            response = self.get_response(request)
            state = viewing.current.get()
            if (
                state is not None
                and state.shown
                and not state.audited
                and request.method in ("GET", "HEAD")
                and response.status_code == 200
                and getattr(request, "user", None) is not None
                and request.user.is_authenticated
            ):
                self._record(request, list(state.shown.values()))
        finally:
            viewing.current.reset(token)
        return response

    @staticmethod
    def _record(request, shown):
        from .log import record
        from .models import AuditAction

        match = getattr(request, "resolver_match", None)
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=shown[0],
            detail={
                "page": match.view_name if match else request.path,
                "path": request.path,
                "shown": [
                    {"type": s._meta.label_lower, "id": s.pk, "label": str(s)}
                    for s in shown
                ],
            },
        )
