from svduty.core.authorisation import Role

from . import Route

AUDITORS = frozenset({Role.AUDITOR})

ROUTES = [
    Route("audit:event_list", allowed=AUDITORS),
    Route("audit:export", allowed=AUDITORS),
]
