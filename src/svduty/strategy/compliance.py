"""The duty compliance picture for one partnership: the steps of the Serious Violence
Duty, each with its status and the evidence behind it. Shown as a GOV.UK task list and
exported as the compliance report for the local policing body's monitoring (s.14)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from svduty.core.policies import may_open
from svduty.partnership.coverage import coverage
from svduty.partnership.definitions import definition_in_force
from svduty.partnership.models import DefinitionStatus, Partnership

from .models import ActionStatus, SectionKind, StrategyAction
from .publication import current_version
from .states import StrategyState

COMPLETED = "Completed"
IN_PROGRESS = "In progress"
NOT_STARTED = "Not started"
CANNOT_START = "Cannot start yet"
OVERDUE = "Overdue"
AT_RISK = "At risk"

STATUS_COLOURS = {IN_PROGRESS: "light-blue", OVERDUE: "red", AT_RISK: "orange"}


@dataclass
class Step:
    name: str
    status: str
    hint: str
    evidence_url: str = ""
    evidence_label: str = ""
    details: list[str] = field(default_factory=list)
    #: Where the evidence is for someone who may not open `evidence_url`.
    fallback_url: str = ""

    @property
    def done(self) -> bool:
        return self.status == COMPLETED

    @property
    def colour(self) -> str:
        return STATUS_COLOURS.get(self.status, "grey")

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "-").replace("(", "").replace(")", "")


def _d(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _formed(partnership: Partnership) -> Step:
    areas = coverage(partnership)
    gaps = [
        f"{a.area.name}: no {', '.join(t.label.lower() for t in a.missing)}"
        for a in areas
        if a.missing
    ]
    if not partnership.lead_arrangement:
        gaps.append("No lead arrangement recorded")
    if not areas:
        gaps.append("No local government areas recorded")
    if not gaps:
        status = COMPLETED
    elif partnership.members.exists():
        status = IN_PROGRESS
    else:
        status = NOT_STARTED
    return Step(
        "Partnership formed",
        status,
        "Every kind of specified authority covers every area, and the lead "
        "arrangement is recorded.",
        reverse("partnership:detail", args=[partnership.slug]),
        "Members and areas",
        gaps,
    )


def _definition(partnership: Partnership, today: dt.date) -> Step:
    in_force = definition_in_force(partnership, today)
    url = reverse("partnership:definition_list", args=[partnership.slug])
    hint = "The kinds of serious violence in scope, with the four statutory factors."
    if in_force:
        return Step(
            "Local definition agreed",
            COMPLETED,
            hint,
            reverse(
                "partnership:definition_detail",
                args=[partnership.slug, in_force.number],
            ),
            f"Version {in_force.number}, agreed {_d(in_force.agreed_on)}",
        )
    draft = partnership.definitions.filter(status=DefinitionStatus.DRAFT).exists()
    return Step(
        "Local definition agreed",
        IN_PROGRESS if draft else NOT_STARTED,
        hint,
        url,
        "Local definition",
    )


def _sna_model():
    """The analysis app's strategic needs assessment model (SnaVersion), looked up
    by name so that this app does not depend on analysis being installed."""
    try:
        return apps.get_model("analysis", "SnaVersion")
    except LookupError:
        return None


def _sna(partnership: Partnership) -> Step:
    name = "Strategic needs assessment (SNA) completed"
    hint = (
        "The SNA is the evidence of the kinds and causes of serious violence in the "
        "area (s.8(3)(a) and (b)); completed means a version is signed off."
    )
    model = _sna_model()
    if model is None:
        return Step(
            name,
            NOT_STARTED,
            hint + " svduty has no needs assessment records yet, so this cannot be "
            "checked here: record where the SNA is kept in the strategy's SNA summary.",
        )
    rows = model._default_manager.filter(partnership=partnership)
    signed = rows.filter(signed_off_at__isnull=False).order_by("-signed_off_at").first()
    published = _sna_in_published_strategy(partnership)
    # The needs assessment itself is for those who may read analysis; everyone else
    # who sees the checklist is pointed at the published strategy's SNA summary,
    # the record of it that the whole partnership (and the public) reads.
    summary_url = (
        reverse("strategy:version", args=[partnership.slug, published[0].number])
        + f"#section-{published[1].pk}"
        if published is not None
        else ""
    )
    if signed is not None:
        return Step(
            name,
            COMPLETED,
            hint,
            _analysis_url("analysis:version_detail", partnership.slug, signed.pk),
            f"SNA version {signed.number}, signed off "
            f"{_d(timezone.localtime(signed.signed_off_at).date())}",
            fallback_url=summary_url,
        )
    if published is not None:
        # A strategy cannot be published without the needs assessment it rests on
        # (s.8(3)): its SNA summary is the record, even when the SNA itself was
        # written outside svduty. "Not started" beside it misled (issue 16).
        version, _section = published
        return Step(
            name,
            COMPLETED,
            hint,
            summary_url,
            f"Summarised in strategy version {version.number}, published "
            f"{_d(version.published_on)}",
            []
            if rows.exists()
            else ["No SNA version is signed off in svduty: the summary is the record"],
        )
    return Step(
        name,
        IN_PROGRESS if rows.exists() else NOT_STARTED,
        hint,
        _analysis_url("analysis:version_list", partnership.slug),
        "SNA versions",
    )


def _analysis_url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the analysis app is not installed
        return ""


def _sna_in_published_strategy(partnership: Partnership):
    """The published strategy and its SNA summary section, if it has one."""
    version = current_version(partnership)
    if version is None:
        return None
    section = (
        version.sections.filter(kind=SectionKind.SNA_SUMMARY).exclude(body="").first()
    )
    return (version, section) if section is not None else None


def _strategy_steps(partnership: Partnership, today: dt.date) -> list[Step]:
    versions = partnership.strategy_versions.order_by("-number")
    latest = versions.first()
    current = current_version(partnership)
    consult_hint = (
        "Every educational, prison and youth custody authority on the register for "
        "the area consulted, or a reason approved by a second person (s.8(4))."
    )
    sign_hint = "Every specified authority has signed off the strategy."
    publish_hint = "The strategy is published on its public page."
    review_hint = "The strategy was published or last reviewed within 12 months."

    def version_url(version, anchor=""):
        return (
            reverse("strategy:version", args=[partnership.slug, version.number])
            + anchor
        )

    if latest is None:
        return [
            Step("Consultation complete", NOT_STARTED, consult_hint),
            Step("Signed off by every specified authority", CANNOT_START, sign_hint),
            Step("Strategy published", CANNOT_START, publish_hint),
            Step("Reviewed within the last 12 months", CANNOT_START, review_hint),
        ]
    # The version being worked on, or the published one.
    working = latest
    order = [
        StrategyState.DRAFT,
        StrategyState.CONSULTATION,
        StrategyState.AWAITING_SIGN_OFF,
    ]
    stage = order.index(working.state) if working.state in order else len(order)
    consulted = working.consultations.count()
    # Superseded and withdrawn sign-offs are history, not sign-off.
    signed = working.sign_offs.live().count()
    steps = []
    if stage > 1 or current is not None and working == current:
        status = COMPLETED
    elif stage == 1:
        status = IN_PROGRESS
    else:
        status = NOT_STARTED
    if working.state == StrategyState.DRAFT and current is not None:
        # Revising: the published version's consultation stands meanwhile.
        status = IN_PROGRESS
    steps.append(
        Step(
            "Consultation complete",
            status,
            consult_hint,
            version_url(working, "#consultation"),
            f"Version {working.number}: {consulted} consultation records",
        )
    )
    if stage > 2:
        status = COMPLETED
    elif stage == 2:
        status = IN_PROGRESS
    else:
        status = IN_PROGRESS if current is not None else CANNOT_START
    steps.append(
        Step(
            "Signed off by every specified authority",
            status,
            sign_hint,
            version_url(working, "#sign-off"),
            f"Version {working.number}: {signed} sign-offs",
        )
    )
    if current is not None:
        steps.append(
            Step(
                "Strategy published",
                COMPLETED,
                publish_hint,
                reverse("public_strategy:detail", args=[partnership.slug]),
                f"Version {current.number}, published {_d(current.published_on)}",
            )
        )
        overdue = current.is_review_overdue(today)
        due = current.review_due_on
        reference = (
            f"last reviewed {_d(current.last_reviewed_on)}"
            if current.last_reviewed_on
            else f"published {_d(current.published_on)}"
        )
        steps.append(
            Step(
                "Reviewed within the last 12 months",
                OVERDUE if overdue else COMPLETED,
                review_hint,
                version_url(current, "#reviews"),
                f"Version {current.number} {reference}; review "
                f"{'was due' if overdue else 'due by'} {_d(due)}",
            )
        )
    else:
        steps.append(Step("Strategy published", CANNOT_START, publish_hint))
        steps.append(
            Step("Reviewed within the last 12 months", CANNOT_START, review_hint)
        )
    return steps


def _actions(partnership: Partnership, today: dt.date) -> Step:
    actions = StrategyAction.objects.filter(partnership=partnership)
    hint = "No action in the plan is overdue or at risk."
    url = reverse("strategy:action_list", args=[partnership.slug])
    total = actions.count()
    if not total:
        return Step("Actions on track", NOT_STARTED, hint, url, "Action plan")
    overdue = actions.overdue(today).count()
    at_risk = actions.filter(status=ActionStatus.AT_RISK).count()
    label = f"{total} actions: {overdue} overdue, {at_risk} at risk"
    if overdue:
        return Step("Actions on track", OVERDUE, hint, url + "?overdue=on", label)
    if at_risk:
        return Step("Actions on track", AT_RISK, hint, url, label)
    return Step("Actions on track", COMPLETED, hint, url, label)


def for_viewer(steps: list[Step], user: Any) -> list[Step]:
    """The steps as `user` sees them: each evidence link one they may open (the
    fallback, or none, in place of a page their roles do not open)."""
    shown = []
    for step in steps:
        if step.evidence_url and not may_open(user, step.evidence_url):
            url = step.fallback_url if may_open(user, step.fallback_url) else ""
            step = replace(step, evidence_url=url)
        shown.append(step)
    return shown


def compliance_steps(partnership: Partnership, today: dt.date | None = None):
    today = today or timezone.localdate()
    return [
        _formed(partnership),
        _definition(partnership, today),
        _sna(partnership),
        *_strategy_steps(partnership, today),
        _actions(partnership, today),
    ]
