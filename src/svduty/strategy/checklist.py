"""The publish checklist, shown from the day a draft starts: what must be true before
the strategy can be published, each with its state and a link to where it is done.

The rules themselves are in the actions (`check_transition`); this reads the same
facts so that nobody meets them for the first time as an error at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from svduty.partnership.definitions import definition_in_force
from svduty.partnership.registers import register_gaps

from .actions import required_consultees, sign_off_status
from .models import StrategyVersion
from .states import StrategyState

BEFORE_SIGN_OFF = (StrategyState.DRAFT, StrategyState.CONSULTATION)


@dataclass
class Step:
    name: str
    hint: str
    done: bool
    status: str
    colour: str = "blue"
    evidence_url: str = ""
    details: list[str] = field(default_factory=list)


def publish_checklist(version: StrategyVersion) -> list[Step]:
    partnership = version.partnership
    slug, number = partnership.slug, version.number
    version_url = reverse("strategy:version", args=[slug, number])
    steps: list[Step] = []

    definition = definition_in_force(partnership)
    steps.append(
        Step(
            name="Agree a local definition of serious violence",
            hint=(
                f"Version {definition.number} agreed on "
                f"{definition.agreed_on:%-d %B %Y}. Sign-offs cover it too."
                if definition
                else "No definition is agreed yet. Each sign-off covers the "
                "definition in force, so agree it before asking for sign-off."
            ),
            done=definition is not None,
            status="Completed" if definition else "Not started",
            colour="blue",
            evidence_url=reverse("partnership:definition_list", args=[slug]),
        )
    )

    consultees = required_consultees(version)
    recorded = {c.authority_id for c in version.consultations.all() if c.stands}
    consulted = sum(1 for a in consultees if a.pk in recorded)
    closed = version.state not in BEFORE_SIGN_OFF
    gaps = [] if closed else register_gaps(version.partnership.areas.all())
    steps.append(
        Step(
            name="Consult each educational, prison and youth custody authority",
            hint=f"{consulted} of {len(consultees)} recorded on the register's "
            "authorities. "
            + " ".join(f"{gap}." for gap in gaps)
            + (
                " Consultation is closed."
                if closed
                else " Consultation closes when every one is recorded."
            ),
            done=closed,
            status="Completed"
            if closed
            else (
                "In progress"
                if version.state == StrategyState.CONSULTATION
                else "Not started"
            ),
            colour="light-blue",
            evidence_url=f"{version_url}#consultation",
        )
    )

    for member, sign_off in sign_off_status(version):
        if sign_off is not None:
            status, colour = "Signed off", "green"
        elif closed:
            status, colour = "Waiting for sign-off", "yellow"
        else:
            status, colour = "Cannot start yet", "grey"
        steps.append(
            Step(
                name=f"Sign-off by {member.agency.name}",
                hint=(
                    f"{sign_off.signed_by_name}, {sign_off.signed_by_role}, "
                    f"{sign_off.signed_on:%-d %B %Y}"
                    if sign_off
                    else "Given by someone from the authority, or by you uploading "
                    "their signed document, after consultation closes."
                ),
                done=sign_off is not None,
                status=status,
                colour=colour,
                evidence_url=f"{version_url}#sign-off",
            )
        )

    ready = all(step.done for step in steps)
    published = version.is_published
    steps.append(
        Step(
            name="Publish the strategy",
            hint="Published." if published else "Everything above must be complete.",
            done=published,
            status="Completed"
            if published
            else ("Ready to publish" if ready else "Cannot start yet"),
            colour="green",
        )
    )
    return steps
