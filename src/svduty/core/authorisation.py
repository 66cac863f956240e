"""Permissions and roles, in code (architecture D7).

Permissions name what a user may do; roles bundle permissions and carry a plain-English
description that the administrator sees when assigning them. Scope (which partnership,
which child) is decided separately by each model's `visible_to(user)`.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    # Accounts and audit
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    EXPORT_AUDIT = "export_audit"
    USE_API = "use_api"
    # Partnership and strategy
    VIEW_PARTNERSHIP = "view_partnership"
    MANAGE_PARTNERSHIP = "manage_partnership"
    MANAGE_STRATEGY = "manage_strategy"
    SIGN_OFF_STRATEGY = "sign_off_strategy"
    MANAGE_ACTIONS = "manage_actions"
    # Information sharing and analysis
    MANAGE_AGREEMENTS = "manage_agreements"
    IMPORT_DATA = "import_data"
    VIEW_ANALYSIS = "view_analysis"
    MANAGE_SNA = "manage_sna"
    # Children at risk
    SEARCH_PEOPLE = "search_people"
    VIEW_CASES = "view_cases"
    EDIT_CASES = "edit_cases"
    MAKE_REFERRAL = "make_referral"
    TRIAGE_REFERRALS = "triage_referrals"
    SIGN_OFF_ASSESSMENTS = "sign_off_assessments"
    GRANT_CASE_ACCESS = "grant_case_access"
    BREAK_GLASS = "break_glass"
    VIEW_RESTRICTED = "view_restricted"
    # Serious Violence Reduction Orders
    MANAGE_SVRO = "manage_svro"
    VIEW_SVRO_SCRUTINY = "view_svro_scrutiny"
    # Publishing the SVRO transparency report on the public pages: the figures as
    # approved are frozen (issue 10 point 6).
    PUBLISH_SVRO_REPORT = "publish_svro_report"
    # Children at risk: screening tool, assessment types and language rules
    MANAGE_CASE_CONFIGURATION = "manage_case_configuration"
    # Contextual safeguarding: places of concern and peer groups (issue 11). Apart
    # from VIEW_CASES because partnership leads and analysts follow places and their
    # interventions without reading any child's record.
    VIEW_PLACES = "view_places"
    MANAGE_PLACES = "manage_places"
    # Data protection (issue 14): the retention schedule and erasure log, and subject
    # access requests (finding everything held about a person, across apps).
    DATA_PROTECTION = "data_protection"
    # Inspection-ready evidence (issue 12): apart from VIEW_CASES because leaders read
    # the 21 outcomes' figures (counts) without reading children's records; the
    # drill-down to children still needs VIEW_CASES and the child in scope.
    VIEW_EVIDENCE = "view_evidence"
    MANAGE_EVIDENCE = "manage_evidence"
    # Case audits read a sample of children's cases; the inspection data request
    # lists children (pseudonymised unless a reason is given).
    AUDIT_CASES = "audit_cases"
    EXPORT_INSPECTION_DATA = "export_inspection_data"
    # Services and interventions (issue 11): keeping the partnership's catalogue of
    # services. Referring a child to a service needs EDIT_CASES on the child instead.
    MANAGE_SERVICES = "manage_services"
    # Record linkage (issue 13): deciding whether two partner records are the same
    # person needs both records' identifying details, which no other permission
    # grants without a child's case-team membership.
    REVIEW_LINKAGE = "review_linkage"


class Role(StrEnum):
    SYSTEM_ADMIN = "system_admin"
    PARTNERSHIP_LEAD = "partnership_lead"
    ANALYST = "analyst"
    PRACTITIONER = "practitioner"
    TEAM_MANAGER = "team_manager"
    SVRO_OFFICER = "svro_officer"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.SYSTEM_ADMIN: "System administrator",
    Role.PARTNERSHIP_LEAD: "Partnership lead",
    Role.ANALYST: "Analyst",
    Role.PRACTITIONER: "Practitioner",
    Role.TEAM_MANAGER: "Team manager",
    Role.SVRO_OFFICER: "SVRO officer",
    Role.AUDITOR: "Auditor (data protection officer)",
}

ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.SYSTEM_ADMIN: (
        "Invites users, changes their roles and disables accounts; changes the "
        "screening tool, assessment types and language rules. "
        "Cannot see children's records unless also given a practitioner role."
    ),
    Role.PARTNERSHIP_LEAD: (
        "Owns the partnership's serious violence strategy: definition, "
        "consultation, sign-off, publication, review and the action plan."
    ),
    Role.ANALYST: (
        "Brings in partner data under a data sharing agreement and produces the "
        "strategic needs assessment."
    ),
    Role.PRACTITIONER: (
        "Works with children at risk: referrals, screening, assessments, "
        "plans and chronology, for the children on their case list."
    ),
    Role.TEAM_MANAGER: (
        "A practitioner who also triages referrals, signs off assessments, "
        "grants access to records and changes the screening tool, assessment "
        "types and language rules."
    ),
    Role.SVRO_OFFICER: (
        "A police officer who manages Serious Violence Reduction Orders."
    ),
    Role.AUDITOR: "Data protection officer or auditor: reads the audit trail and "
    "exports it, keeps the retention schedule and answers subject access requests. "
    "Cannot change records.",
}

_P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {
            _P.MANAGE_USERS,
            _P.VIEW_PARTNERSHIP,
            _P.USE_API,
            _P.MANAGE_CASE_CONFIGURATION,
        }
    ),
    Role.PARTNERSHIP_LEAD: frozenset(
        {
            _P.VIEW_PARTNERSHIP,
            _P.MANAGE_PARTNERSHIP,
            _P.MANAGE_STRATEGY,
            _P.SIGN_OFF_STRATEGY,
            _P.MANAGE_ACTIONS,
            _P.VIEW_ANALYSIS,
            _P.MANAGE_AGREEMENTS,
            _P.USE_API,
            _P.VIEW_PLACES,
            _P.VIEW_EVIDENCE,
            _P.MANAGE_EVIDENCE,
            _P.AUDIT_CASES,
            _P.EXPORT_INSPECTION_DATA,
            _P.MANAGE_SERVICES,
            _P.VIEW_SVRO_SCRUTINY,  # aggregates only (issue 10 point 6)
            _P.PUBLISH_SVRO_REPORT,  # owns what the partnership publishes
        }
    ),
    Role.ANALYST: frozenset(
        {
            _P.VIEW_PARTNERSHIP,
            _P.VIEW_ANALYSIS,
            _P.MANAGE_SNA,
            _P.IMPORT_DATA,
            _P.REVIEW_LINKAGE,
            _P.MANAGE_AGREEMENTS,
            _P.USE_API,
            _P.VIEW_PLACES,
            _P.VIEW_EVIDENCE,
            _P.VIEW_SVRO_SCRUTINY,  # aggregates only (issue 10 point 6)
        }
    ),
    Role.PRACTITIONER: frozenset(
        {
            _P.VIEW_PARTNERSHIP,
            _P.SEARCH_PEOPLE,
            _P.VIEW_CASES,
            _P.EDIT_CASES,
            _P.MAKE_REFERRAL,
            _P.BREAK_GLASS,
            _P.USE_API,
            _P.VIEW_PLACES,
            _P.MANAGE_PLACES,
        }
    ),
    Role.TEAM_MANAGER: frozenset(
        {
            _P.VIEW_PARTNERSHIP,
            _P.SEARCH_PEOPLE,
            _P.VIEW_CASES,
            _P.EDIT_CASES,
            _P.MAKE_REFERRAL,
            _P.TRIAGE_REFERRALS,
            _P.SIGN_OFF_ASSESSMENTS,
            _P.GRANT_CASE_ACCESS,
            _P.BREAK_GLASS,
            _P.VIEW_RESTRICTED,
            _P.USE_API,
            _P.MANAGE_CASE_CONFIGURATION,
            _P.VIEW_PLACES,
            _P.MANAGE_PLACES,
            _P.VIEW_EVIDENCE,
            _P.MANAGE_EVIDENCE,
            _P.AUDIT_CASES,
            _P.EXPORT_INSPECTION_DATA,
            _P.MANAGE_SERVICES,
            _P.REVIEW_LINKAGE,
        }
    ),
    Role.SVRO_OFFICER: frozenset(
        {_P.VIEW_PARTNERSHIP, _P.MANAGE_SVRO, _P.VIEW_SVRO_SCRUTINY, _P.USE_API}
    ),
    Role.AUDITOR: frozenset(
        {
            _P.VIEW_AUDIT,
            _P.EXPORT_AUDIT,
            _P.VIEW_PARTNERSHIP,
            _P.VIEW_SVRO_SCRUTINY,
            _P.DATA_PROTECTION,
        }
    ),
}

# Permissions that reveal personal data. A role holding any of them must use
# multi-factor authentication (Foundation issue, point 3).
PERSONAL_DATA_PERMISSIONS = frozenset(
    {
        _P.MANAGE_USERS,
        _P.VIEW_AUDIT,
        _P.IMPORT_DATA,
        _P.SEARCH_PEOPLE,
        _P.VIEW_CASES,
        _P.MANAGE_SVRO,
        _P.VIEW_ANALYSIS,
        _P.REVIEW_LINKAGE,
        _P.VIEW_PLACES,  # intelligence about places and the children linked to them
        _P.DATA_PROTECTION,  # subject access: everything held about a person
        _P.AUDIT_CASES,
        _P.EXPORT_INSPECTION_DATA,
    }
)


def permissions_for_roles(roles) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        try:
            granted |= ROLE_PERMISSIONS[Role(role)]
        except ValueError:
            continue  # a role removed from code grants nothing
    return frozenset(granted)


def roles_require_mfa(roles) -> bool:
    return bool(permissions_for_roles(roles) & PERSONAL_DATA_PERMISSIONS)
