from svduty.core.authorisation import Role

from . import Route

ROUTES = [
    Route("healthz", public=True),
    Route("core:home", public=True),
    Route("core:accessibility", public=True),
    Route("core:privacy", public=True),
    Route("core:cookies", public=True),
    Route("core:timed_out", public=True),
    Route("core:favicon", public=True),
    Route(
        "core:keep_alive",
        method="post",
        expect=204,
        note="204 for signed-in users, 401 otherwise",
    ),
    Route("api-schema"),
    Route("api-docs"),
    Route("api-me", allowed=frozenset(Role)),
]
