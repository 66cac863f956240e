import uuid

from .context import RequestContext, current


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
