from svduty.core.authorisation import Role

from . import Route

DPO = frozenset({Role.AUDITOR})

ROUTES = [
    Route("privacy:home", allowed=DPO),
    Route("privacy:retention", allowed=DPO),
    Route("privacy:erasure_log", allowed=DPO),
]
