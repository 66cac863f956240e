"""Types shared by every app's contracts (policies, actions, the audit log).

Importable from model modules: it imports nothing that needs the app registry.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

#: Whoever makes a request: a signed-in user, the anonymous user, or nobody (a
#: command). core sits below accounts, so it names Django's base classes.
AnyUser = AbstractBaseUser | AnonymousUser | None
