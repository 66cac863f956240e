import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

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
