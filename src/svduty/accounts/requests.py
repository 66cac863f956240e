"""The signed-in user of a request, as the type the actions take.

`request.user` is typed `User | AnonymousUser`. A view behind `requires(...)`
(or `PolicyMixin`) and an API view behind a permission class that checks
`is_authenticated` only ever runs for a signed-in `User`; `signed_in_user` says
so to the type checker, and refuses (403) rather than going on if a view is ever
wired without its check.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from svduty.accounts.models import User


def signed_in_user(request: HttpRequest | Request) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
