"""Default configuration: the screening tool, assessment types and language rules.

Loaded by a data migration so that every installation starts with a usable form; a
partnership then adds its own versions. Written against the historical models the
migration passes in, so it never depends on today's model code.
"""

from __future__ import annotations

from .language import DEFAULT_RULES

DEFAULT_TOOL_NAME = "Exploitation and serious violence screening"

# (group, [(indicator, hint, weight, significant)])
DEFAULT_INDICATORS: list[tuple[str, list[tuple[str, str, int, bool]]]] = [
    (
        "Missing and whereabouts",
        [
            ("Missing episodes", "From home, care or school.", 2, False),
            ("Staying out overnight or whereabouts unknown", "", 1, False),
            ("Travelling to other areas or cities without explanation", "", 2, False),
            ("Found in a place associated with exploitation", "", 3, True),
        ],
    ),
    (
        "Violence and weapons",
        [
            ("Known to carry a weapon", "Including a weapon found at school.", 3, True),
            ("Victim of violence or threats", "", 2, False),
            ("Unexplained injuries", "", 2, False),
            ("May pose a risk to others", "", 2, False),
        ],
    ),
    (
        "Exploitation",
        [
            ("Links to county lines or drug dealing by others", "", 3, True),
            ("Drug debt", "", 3, True),
            ("Unexplained money, clothes or phones", "", 1, False),
            (
                "Association with unknown adults or other exploited children",
                "",
                2,
                False,
            ),
            ("Several phones, or secrecy about phones", "", 1, False),
            ("Concerning social media or app use", "", 1, False),
        ],
    ),
    (
        "Education",
        [
            (
                "Excluded, not in education, or educated other than at school",
                "",
                2,
                False,
            ),
            ("Unexplained absence or drop in performance", "", 1, False),
        ],
    ),
    (
        "Vulnerability",
        [
            ("Substance misuse", "", 1, False),
            ("Self-harm", "", 2, False),
            ("Sudden change in behaviour or peer group", "", 1, False),
            (
                "Family breakdown, or no positive relationship with an adult",
                "",
                1,
                False,
            ),
            ("Hostile visitors or threats to the family", "", 2, False),
        ],
    ),
]

DEFAULT_ASSESSMENT_TYPES = [
    (
        "Child and family assessment",
        "Working Together to Safeguard Children: at most 45 working days from "
        "referral.",
        45,
    ),
    (
        "Exploitation risk assessment",
        "Multi-agency child exploitation (MACE) level 1 assessment.",
        10,
    ),
    (
        "Contextual safeguarding assessment",
        "Peer group, school, neighbourhood and online contexts around the child.",
        20,
    ),
]


def load_defaults(apps=None) -> None:
    """Add the default configuration where it is missing: from the data migration
    (its historical models), or again from the demo loader (the real ones)."""
    if apps is None:
        from django.apps import apps as global_apps

        from svduty.core.guard import writes_allowed

        with writes_allowed(
            "the default configuration of migration 0002, loaded again by the demo"
        ):
            _load(global_apps)
        return
    _load(apps)


def _load(apps) -> None:
    ScreeningTool = apps.get_model("cases", "ScreeningTool")
    IndicatorGroup = apps.get_model("cases", "IndicatorGroup")
    Indicator = apps.get_model("cases", "Indicator")
    AssessmentType = apps.get_model("cases", "AssessmentType")
    LanguageRule = apps.get_model("cases", "LanguageRule")

    tool, created = ScreeningTool.objects.get_or_create(
        name=DEFAULT_TOOL_NAME, version=1
    )
    if created:
        for g_order, (group_name, indicators) in enumerate(DEFAULT_INDICATORS):
            group = IndicatorGroup.objects.create(
                tool=tool, name=group_name, order=g_order
            )
            for i_order, (text, hint, weight, significant) in enumerate(indicators):
                Indicator.objects.create(
                    group=group,
                    text=text,
                    hint=hint,
                    weight=weight,
                    is_significant=significant,
                    order=i_order,
                )
    for name, description, days in DEFAULT_ASSESSMENT_TYPES:
        AssessmentType.objects.get_or_create(
            name=name,
            defaults={"description": description, "timescale_working_days": days},
        )
    for phrase, alternative, explanation in DEFAULT_RULES:
        LanguageRule.objects.get_or_create(
            phrase=phrase,
            defaults={"alternative": alternative, "explanation": explanation},
        )
