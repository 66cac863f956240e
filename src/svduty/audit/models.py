"""The append-only audit trail (architecture D8; DPA 2018 s.62).

No foreign keys: an event must outlive the user, agency or record it names, and must
never be cascaded away. The database refuses UPDATE and DELETE on this table (see the
trigger in migration 0001), so not even a bug or a mistaken SQL session can rewrite it.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class AuditAction(StrEnum):
    # Sign-in and accounts
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    LOCKED_OUT = "locked_out"
    SESSION_TIMED_OUT = "session_timed_out"
    MFA_ACTIVATED = "mfa_activated"
    MFA_DEACTIVATED = "mfa_deactivated"
    ACCOUNT_INVITED = "account_invited"
    ACCOUNT_ACTIVATED = "account_activated"
    ACCOUNT_CHANGED = "account_changed"
    ROLES_CHANGED = "roles_changed"
    ACCOUNT_DISABLED = "account_disabled"
    ACCOUNT_ENABLED = "account_enabled"
    TOKEN_CREATED = "token_created"  # noqa: S105 - an action name, not a secret
    TOKEN_REVOKED = "token_revoked"  # noqa: S105 - an action name, not a secret
    # Personal data (s.62: collection, alteration, consultation, disclosure,
    # combination, erasure)
    VIEW = "view"
    SEARCH = "search"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    EXPORT = "export"
    PRINT = "print"
    DISCLOSURE = "disclosure"
    IMPORT = "import"
    COMBINE = "combine"
    ACCESS_REQUESTED = "access_requested"
    ACCESS_GRANTED = "access_granted"
    BREAK_GLASS = "break_glass"
    PUBLISH = "publish"
    ACCESS_REFUSED = "access_refused"
    # A request the policy layer turned away (404 out of scope, 403 for the role)
    REFUSED = "refused"
    REFUSALS_THROTTLED = "refusals_throttled"

    @property
    def label(self) -> str:
        return (
            _PLAIN_LABELS.get(self.value) or self.value.replace("_", " ").capitalize()
        )


# Plain English where the action's name reads like machine output (issue 16, point 4).
_PLAIN_LABELS = {
    "sign_in_failed": "Sign-in failed",
    "sign_in": "Signed in",
    "sign_out": "Signed out",
    "session_timed_out": "Signed out after inactivity",
    "mfa_activated": "Two-factor authentication set up",
    "mfa_deactivated": "Two-factor authentication removed",
    "account_invited": "Invited to svduty",
    "account_activated": "Account activated",
    "roles_changed": "Roles changed",
    "token_created": "API token created",
    "token_revoked": "API token revoked",
    "view": "Viewed",
    "search": "Searched",
    "create": "Created",
    "change": "Changed",
    "delete": "Deleted",
    "export": "Exported",
    "print": "Printed",
    "disclosure": "Disclosed outside svduty",
    "import": "Imported",
    "combine": "Records combined",
    "access_requested": "Access requested",
    "access_granted": "Access granted",
    "access_refused": "Access refused",
    "break_glass": "Emergency access (break-glass)",
    "publish": "Published",
    "refused": "Refused (no access)",
    "refusals_throttled": "Further refusals not recorded",
}


#: Security events: kept 12 months, not the 6 years of the personal-data log (the
#: database's own floor, audit migration 0003, names the same actions).
SECURITY_ACTIONS: frozenset[str] = frozenset(
    {
        AuditAction.SIGN_IN,
        AuditAction.SIGN_IN_FAILED,
        AuditAction.SIGN_OUT,
        AuditAction.LOCKED_OUT,
        AuditAction.SESSION_TIMED_OUT,
        AuditAction.REFUSED,
        AuditAction.REFUSALS_THROTTLED,
    }
)


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=300, blank=True)
    agency_label = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=100, blank=True)
    target_label = models.CharField(max_length=500, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # Named as migration 0001 created them, so no migration renames them.
            models.Index(
                fields=["target_type", "target_id"], name="audit_audit_target__idx"
            ),
            models.Index(fields=["actor_label"], name="audit_audit_actor_l_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} "
            f"{self.target_label}"
        )

    @property
    def action_label(self) -> str:
        try:
            return AuditAction(self.action).label
        except ValueError:
            return self.action
