"""The policy layer (architecture D7): every read of protected data goes through here.

- `has_permission(user, perm, obj=None)`: may this user do this (to this object)?
- `Model.objects.visible_to(user)`: the objects in this user's scope. A model that holds
  protected data gives its manager a `visible_to`; `PolicyQuerySet` refuses everything
  until it does (deny by default).
- `get_visible_or_404(...)`: the only way a view fetches one protected object. An
  object outside the user's scope is a 404, exactly as if it did not exist, so that
  status codes leak nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from svduty.core.authorisation import Permission, permissions_for_roles
from svduty.core.guard import GuardedQuerySet
from svduty.core.types import AnyUser
from svduty.core.viewing import note_shown

_M = TypeVar("_M", bound=models.Model)
_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])

# Where a refused request leaves its reason, for the audit trail's refusal middleware
# (svduty.audit.middleware.RefusalAuditMiddleware) to record after the response.
REFUSAL_ATTRIBUTE = "svduty_refusal"


class OutOfScope(Http404):
    """A 404 from the policy layer: the record is outside the user's scope, or does
    not exist. The user sees the same page either way; the audit trail is told which,
    because an attempt to reach a real record out of scope is what auditors look for."""

    def __init__(self, model_label: str, lookup: dict[str, Any], exists: bool) -> None:
        super().__init__("Not found")
        self.model_label = model_label
        self.lookup = {key: str(value)[:100] for key, value in lookup.items()}
        self.exists = exists


class RoleRefused(PermissionDenied):
    """A 403 because none of the user's roles carries the permission."""

    def __init__(self, permission: Permission) -> None:
        super().__init__(f"needs {permission}")
        self.permission = permission


class PolicyQuerySet(GuardedQuerySet[_M]):
    """Base queryset for protected models: deny by default."""

    def visible_to(self, user: AnyUser) -> models.QuerySet[_M]:
        return self.none()


def user_permissions(user: AnyUser) -> frozenset[Permission]:
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[Permission] | None = getattr(user, "_svduty_permissions", None)
    if cached is None:
        cached = permissions_for_roles(getattr(user, "roles", None) or [])
        user._svduty_permissions = cached  # type: ignore[attr-defined]
    return cached


def has_permission(user: AnyUser, perm: Permission, obj: Any = None) -> bool:
    if perm not in user_permissions(user):
        return False
    if obj is None:
        return True
    object_check = getattr(obj, "permits", None)
    if object_check is not None:
        return bool(object_check(user, perm))
    manager: Any = type(obj)._default_manager
    return bool(manager.visible_to(user).filter(pk=obj.pk).exists())


def get_visible_or_404(
    source: type[_M] | models.QuerySet[_M], user: AnyUser, **lookup: Any
) -> _M:
    """Fetch one object in `user`'s scope or raise Http404."""
    queryset: Any = (
        source if isinstance(source, models.QuerySet) else source._default_manager.all()
    )
    visible: models.QuerySet[_M] | None = (
        queryset.visible_to(user) if hasattr(queryset, "visible_to") else None
    )
    if visible is None:
        raise TypeError(f"{queryset.model.__name__} has no visible_to(); add a policy.")
    try:
        found = visible.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        try:
            exists = queryset.model._base_manager.filter(**lookup).exists()
        except (ValueError, TypeError):
            exists = False
        raise OutOfScope(queryset.model._meta.label_lower, lookup, exists) from exc
    note_shown(found)
    return found


class PolicyMixin(AccessMixin):
    """Class-based views: anonymous users go to sign-in; others need `permission`."""

    permission: Permission | None = None

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission is None:
            raise ImproperlyConfiguredPolicy(type(self).__name__)
        if not has_permission(request.user, self.permission):
            raise RoleRefused(self.permission)
        response: HttpResponseBase = super().dispatch(  # type: ignore[misc]
            request, *args, **kwargs
        )
        return response


class ImproperlyConfiguredPolicy(RuntimeError):
    def __init__(self, view_name: str) -> None:
        super().__init__(f"{view_name} must name the permission it needs.")


def requires(permission: Permission) -> Callable[[_View], _View]:
    """Function views: the same rule as PolicyMixin."""

    def decorator(view: _View) -> _View:
        @wraps(view)
        def wrapped(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_permission(request.user, permission):
                raise RoleRefused(permission)
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def may_open(user: AnyUser, path: str) -> bool:
    """Whether `user` holds the permission the page at `path` requires (its
    `@requires` or `PolicyMixin` permission), so that a page shows a link only to
    those it opens for. The object's scope is not asked: a link to an object is
    built from objects the user already sees. A path that names no page is False."""
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return False
    view: Any = match.func
    permission: Permission | None = getattr(view, "required_permission", None)
    view_class: Any = getattr(view, "view_class", None)
    if permission is None and view_class is not None:
        permission = getattr(view_class, "permission", None)
    # A page that names no permission decides for itself (public pages, sign-in):
    # it is not hidden here.
    return permission is None or has_permission(user, permission)
