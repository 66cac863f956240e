"""Agencies, users, their memberships and roles, API tokens and invitations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, Self

import pghistory
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.core.authorisation import (
    Permission,
    Role,
    permissions_for_roles,
    roles_require_mfa,
)
from svduty.core.guard import GuardedModel, GuardedQuerySet
from svduty.core.types import AnyUser


class AgencyType(models.TextChoices):
    POLICE = "police", "Police force"
    PROBATION = "probation", "Probation service"
    YOUTH_JUSTICE = "youth_justice", "Youth justice service (youth offending team)"
    ICB = "icb", "Integrated care board"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    FIRE = "fire", "Fire and rescue authority"
    EDUCATION = "education", "School or other educational authority"
    PRISON = "prison", "Prison"
    YOUTH_CUSTODY = "youth_custody", "Youth custody"
    LOCAL_POLICING_BODY = "local_policing_body", "Local policing body (PCC)"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    HEALTH_PROVIDER = "health_provider", "Health provider (hospital trust, ambulance)"
    VRU = "vru", "Violence reduction unit"


class Agency(GuardedModel):
    name = models.CharField(max_length=200, unique=True)
    agency_type = models.CharField(max_length=30, choices=AgencyType.choices)
    ods_code = models.CharField(
        "Organisation code",
        max_length=20,
        blank=True,
        help_text=(
            "An ONS, ODS or DfE code that identifies the organisation, if it has one."
        ),
    )
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        """Administrators and auditors see every account; anyone else only their own."""
        from svduty.core.policies import has_permission

        if has_permission(user, Permission.MANAGE_USERS) or has_permission(
            user, Permission.VIEW_AUDIT
        ):
            return self.all()
        if user is not None and user.is_authenticated:
            return self.filter(pk=user.pk)
        return self.none()


class SvdutyUserManager(UserManager.from_queryset(UserQuerySet)):
    def get(self, *args: Any, **kwargs: Any) -> Any:
        """As the ORM's, with ``User.objects.get(pk=<id>)`` (Django's
        authentication fetches the signed-in user so on every request) compiled
        once per process (`svduty.core.compiled`)."""
        pk = kwargs.get("pk")
        if args or len(kwargs) != 1 or type(pk) is not int:
            return super().get(*args, **kwargs)
        from django.db.models.query import MAX_GET_RESULTS

        from svduty.core import compiled

        def build(*, pk: int) -> models.QuerySet[Any, Any]:
            return self.get_queryset().filter(pk=pk).order_by()[:MAX_GET_RESULTS]

        rows = compiled.run(("accounts.user.get",), build, {"pk": pk}, using=self.db)
        if not rows:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        if len(rows) > 1:
            raise self.model.MultipleObjectsReturned(
                f"get() returned more than one {self.model._meta.object_name} -- "
                f"it returned {len(rows)}!"
            )
        return rows[0]


@pghistory.track(
    pghistory.InsertEvent("user.insert"),
    pghistory.UpdateEvent(
        "user.update",
        condition=pghistory.AnyChange(exclude=["last_login", "password"]),
    ),
    exclude=["password", "last_login"],
)
class User(AbstractUser):
    """A person who signs in. Identified by a sign-in name (`username`)."""

    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    roles = ArrayField(
        models.CharField(max_length=40, choices=[(r.value, r.label) for r in Role]),
        default=list,
        blank=True,
    )
    agencies = models.ManyToManyField(
        Agency, through="Membership", related_name="users"
    )
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=500, blank=True)

    objects = SvdutyUserManager()

    class Meta:
        ordering = ["full_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(disabled_at__isnull=True) | Q(is_active=False),
                name="disabled_user_is_inactive",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    @property
    def role_set(self) -> set[Role]:
        return {Role(r) for r in self.roles if r in Role._value2member_map_}

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles

    @property
    def permissions(self):
        return permissions_for_roles(self.roles)

    @property
    def requires_mfa(self) -> bool:
        return roles_require_mfa(self.roles)

    def _load_agencies(self) -> None:
        # One query for both: nearly every page needs the ids (policies) and the
        # names (the header, the audit event's agency).
        rows = list(self.agencies.values_list("pk", "name"))
        self._agency_ids = {pk for pk, _name in rows}
        self._agency_names = ", ".join(name for _pk, name in rows)

    def agency_names(self) -> str:
        if getattr(self, "_agency_names", None) is None:
            self._load_agencies()
        return self._agency_names

    def agency_ids(self) -> set[int]:
        if getattr(self, "_agency_ids", None) is None:
            self._load_agencies()
        return self._agency_ids


class Membership(GuardedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships"
    )
    is_primary = models.BooleanField(default=False)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency"], name="one_membership_per_agency"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_primary=True), name="one_primary_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.agency}"


class UserSession(models.Model):
    """Which sessions belong to whom, so that disabling a user ends all of them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Session of {self.user} from {self.started_at:%Y-%m-%d %H:%M}"


def _hash_secret(secret: str) -> str:
    # Tokens are 256 bits of randomness, so a fast hash is safe (no dictionary to
    # guess from).
    return hashlib.sha256(secret.encode()).hexdigest()


class PersonalTokenQuerySet(GuardedQuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=now, user__is_active=True
        )


class PersonalToken(GuardedModel):
    """A personal API token. Only its hash is stored; the token is shown once."""

    PREFIX = "svd_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=100,
        help_text="What the token is for, so you can recognise it later.",
    )
    key_id = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PersonalTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_id})"

    @classmethod
    def issue(
        cls, *, user: User, name: str, lifetime: timedelta | None = None
    ) -> tuple[PersonalToken, str]:
        key_id = secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_id=key_id,
            secret_hash=_hash_secret(secret),
            expires_at=timezone.now() + (lifetime or settings.API_TOKEN_LIFETIME),
        )
        return token, f"{cls.PREFIX}{key_id}_{secret}"

    @classmethod
    def authenticate(cls, raw: str) -> PersonalToken | None:
        if not raw.startswith(cls.PREFIX):
            return None
        try:
            key_id, secret = raw[len(cls.PREFIX) :].split("_", 1)
        except ValueError:
            return None
        token = (
            cls.objects.usable().select_related("user").filter(key_id=key_id).first()
        )
        if token is None or not secrets.compare_digest(
            token.secret_hash, _hash_secret(secret)
        ):
            return None
        return token

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "Revoked"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Active"


class Invitation(GuardedModel):
    """A one-time link that lets an invited user choose a password."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = GuardedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Invitation for {self.user}"

    @classmethod
    def create_for(cls, *, user: User, invited_by: User) -> tuple[Invitation, str]:
        raw = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            user=user,
            invited_by=invited_by,
            token_hash=_hash_secret(raw),
            expires_at=timezone.now() + settings.INVITATION_VALID_FOR,
        )
        return invitation, raw

    @classmethod
    def find_usable(cls, raw: str) -> Invitation | None:
        return (
            cls.objects.select_related("user")
            .filter(
                token_hash=_hash_secret(raw),
                used_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .first()
        )


class UsedTotpCode(models.Model):
    """A one-time code that has been accepted, so that it cannot be accepted again.

    allauth accepts a code one step either side of the current one (clocks drift, and
    a code typed at the 29th second turns over before it is checked) and remembers a
    used code in the process-local cache for one step only. With two gunicorn workers
    and a three-step window that is not enough, so accepted codes are kept here, where
    the unique constraint makes "first use wins" hold across processes
    (`svduty.accounts.totp`).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=16)
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code"], name="totp_code_once")
        ]

    def __str__(self) -> str:
        return f"one-time code used at {self.used_at:%H:%M:%S}"
