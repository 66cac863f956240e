"""Settings for children's records: language rules, assessment types and versions of
the screening tool. Rules, refusals, one audit event per change, and what publishing
a new screening-tool version does to screenings old and new."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.cases import actions
from svduty.cases.actions import configuration as config
from svduty.cases.models import (
    AssessmentType,
    Indicator,
    LanguageRule,
    Screening,
    ScreeningTool,
)
from svduty.cases.workdays import add_working_days
from svduty.core.authorisation import (
    PERSONAL_DATA_PERMISSIONS,
    ROLE_PERMISSIONS,
    Permission,
    Role,
)
from tests.factories.cases import practitioner


@pytest.fixture
def manager(world):
    return world.manager


@pytest.fixture
def admin(make_user, world):
    return make_user(Role.SYSTEM_ADMIN, agency=world.council)


def _answers(tool, yes=()):
    return {
        i.pk: {"answer": "yes" if i.text in yes else "no", "when": "current"}
        for g in tool.groups.all()
        for i in g.indicators.all()
    }


class _Events:
    """Counts audit events written inside the block."""

    def __enter__(self):
        self.before = AuditEvent.objects.count()
        self.start = AuditEvent.objects.order_by("-id").values_list("id", flat=True)
        self.last = self.start.first() or 0
        return self

    def __exit__(self, *exc):
        self.events = list(AuditEvent.objects.filter(id__gt=self.last).order_by("id"))
        return False


def test_permission_is_granted_to_admins_and_managers_only():
    holders = {
        role
        for role, perms in ROLE_PERMISSIONS.items()
        if Permission.MANAGE_CASE_CONFIGURATION in perms
    }
    assert holders == {Role.SYSTEM_ADMIN, Role.TEAM_MANAGER}
    assert Permission.MANAGE_CASE_CONFIGURATION not in PERSONAL_DATA_PERMISSIONS


class TestLanguageRules:
    def test_add_edit_switch_off_each_audited_once(self, manager):
        with _Events() as added:
            rule = config.add_language_rule(
                by=manager,
                phrase="  out of   control ",
                alternative="describe what is happening to the child",
                explanation="It blames the child.",
            )
        assert rule.phrase == "out of control"
        assert [(e.action, e.target_id) for e in added.events] == [
            ("create", str(rule.pk))
        ]
        with _Events() as changed:
            config.update_language_rule(
                by=manager,
                rule=rule,
                phrase="out of parental control",
                alternative="at risk of harm outside the home",
            )
        assert [e.action for e in changed.events] == ["change"]
        assert changed.events[0].detail["before"]["phrase"] == "out of control"
        with _Events() as off:
            config.set_language_rule_active(by=manager, rule=rule, active=False)
        assert [e.action for e in off.events] == ["change"]
        rule.refresh_from_db()
        assert not rule.is_active

    def test_phrase_is_unique_whatever_the_case(self, manager):
        with pytest.raises(ValidationError) as error:
            config.add_language_rule(
                by=manager, phrase="Choosing To", alternative="something"
            )
        assert error.value.message_dict == {
            "phrase": ["There is already a rule for this phrase"]
        }
        rule = LanguageRule.objects.get(phrase="chose to")
        with pytest.raises(ValidationError):
            config.update_language_rule(
                by=manager, rule=rule, phrase="CHOOSING TO", alternative="x"
            )

    def test_practitioner_is_refused(self, world):
        with pytest.raises(PermissionDenied):
            config.add_language_rule(
                by=world.lead, phrase="new phrase", alternative="x"
            )

    def test_switched_off_rule_is_not_checked(self, manager, client_for, world):
        rule = LanguageRule.objects.get(phrase="choosing to")
        client = client_for(world.lead)
        url = reverse("cases:language_check")
        text = {"text": "He is choosing to go missing"}
        assert "choosing to" in client.post(url, text).content.decode()
        config.set_language_rule_active(by=manager, rule=rule, active=False)
        assert "choosing to" not in client.post(url, text).content.decode().lower()

    def test_duplicate_shows_a_govuk_error_on_the_page(self, admin, client_for):
        response = client_for(admin).post(
            reverse("cases:language_rule_add"),
            {"phrase": "GANG MEMBER", "alternative": "a child at risk"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "<title>Error: " in html
        assert "There is already a rule for this phrase" in html
        assert 'href="#id_phrase"' in html


class TestAssessmentTypes:
    def test_add_and_timescale_limits(self, manager):
        with _Events() as added:
            kind = config.add_assessment_type(
                by=manager, name="Return home review", timescale_working_days=5
            )
        assert [e.action for e in added.events] == ["create"]
        assert kind.timescale_working_days == 5
        for days in (0, 201):
            with pytest.raises(ValidationError) as error:
                config.update_assessment_type(
                    by=manager,
                    assessment_type=kind,
                    name="Return home review",
                    timescale_working_days=days,
                )
            assert "timescale_working_days" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            config.add_assessment_type(
                by=manager,
                name="child AND family assessment",
                timescale_working_days=45,
            )
        assert "name" in error.value.message_dict

    def test_new_timescale_applies_only_to_assessments_started_afterwards(
        self, manager, world
    ):
        kind = AssessmentType.objects.get(name="Child and family assessment")
        start = dt.date(2026, 11, 2)
        before = actions.start_assessment(
            by=world.lead, person=world.child, assessment_type=kind, started_on=start
        )
        with _Events() as changed:
            kind = config.update_assessment_type(
                by=manager,
                assessment_type=kind,
                name=kind.name,
                description=kind.description,
                timescale_working_days=30,
            )
        assert [e.action for e in changed.events] == ["change"]
        after = actions.start_assessment(
            by=world.lead, person=world.child, assessment_type=kind, started_on=start
        )
        before.refresh_from_db()
        assert before.due_on == add_working_days(start, 45)
        assert after.due_on == add_working_days(start, 30)

    def test_switched_off_type_is_not_offered(self, manager, world, client_for):
        kind = AssessmentType.objects.get(name="Exploitation risk assessment")
        config.set_assessment_type_active(
            by=manager, assessment_type=kind, active=False
        )
        response = client_for(world.lead).get(
            reverse("cases:assessment_new", kwargs={"pk": world.child.pk})
        )
        assert "Exploitation risk assessment" not in response.content.decode()

    def test_page_says_due_dates_are_stored_at_start(self, admin, client_for):
        html = client_for(admin).get(reverse("cases:assessment_types")).content
        assert b"affects only assessments started afterwards" in html


class TestScreeningToolVersions:
    def test_draft_copies_the_active_version(self, manager):
        active = config.active_tool()
        with _Events() as created:
            draft = config.create_draft_tool(by=manager)
        assert [e.action for e in created.events] == ["create"]
        assert draft.version == active.version + 1
        assert not draft.is_active
        assert config.draft_tool() == draft
        assert [
            (g.name, [(i.text, i.weight, i.is_significant) for i in g.indicators.all()])
            for g in draft.groups.all()
        ] == [
            (g.name, [(i.text, i.weight, i.is_significant) for i in g.indicators.all()])
            for g in active.groups.all()
        ]
        assert (draft.medium_from, draft.high_from) == (
            active.medium_from,
            active.high_from,
        )
        with pytest.raises(ValidationError):
            config.create_draft_tool(by=manager)

    def test_active_or_used_versions_are_never_edited(self, manager, world):
        active = config.active_tool()
        actions.record_screening(
            by=world.lead,
            person=world.child,
            tool=active,
            answers=_answers(active),
            agreed_level="low",
        )
        group = active.groups.first()
        indicator = group.indicators.first()
        refused = [
            lambda: config.update_tool_settings(
                by=manager,
                tool=active,
                medium_from=2,
                high_from=6,
                significant_means_high=True,
                floor_under_age=13,
                floor_for_learning_disability=True,
                floor_level="medium",
                review_weeks=12,
            ),
            lambda: config.add_group(by=manager, tool=active, name="New"),
            lambda: config.rename_group(by=manager, group=group, name="New"),
            lambda: config.add_indicator(by=manager, group=group, text="New"),
            lambda: config.update_indicator(
                by=manager, indicator=indicator, group=group, text="New", weight=1
            ),
            lambda: config.remove_indicator(by=manager, indicator=indicator),
            lambda: config.move_group(by=manager, group=group, direction="down"),
            lambda: config.publish_tool(by=manager, tool=active),
        ]
        before = AuditEvent.objects.count()
        for attempt in refused:
            with pytest.raises(ValidationError) as error:
                attempt()
            assert error.value.messages == [config.NOT_EDITABLE]
        assert AuditEvent.objects.count() == before
        # Even an inactive version is refused once it has screenings.
        ScreeningTool.objects.filter(pk=active.pk).update(is_active=False)
        active.refresh_from_db()
        assert Screening.objects.filter(tool=active).exists()
        with pytest.raises(ValidationError):
            config.add_group(by=manager, tool=active, name="New")

    def test_thresholds_in_wrong_order_are_a_field_error(self, manager):
        draft = config.create_draft_tool(by=manager)
        with pytest.raises(ValidationError) as error:
            config.update_tool_settings(
                by=manager,
                tool=draft,
                medium_from=8,
                high_from=8,
                significant_means_high=True,
                floor_under_age=13,
                floor_for_learning_disability=True,
                floor_level="medium",
                review_weeks=12,
            )
        assert list(error.value.message_dict) == ["high_from"]

    def test_thresholds_in_wrong_order_on_the_page(self, admin, client_for):
        draft = config.create_draft_tool(by=admin)
        response = client_for(admin).post(
            reverse("cases:screening_tool_settings", kwargs={"tool_pk": draft.pk}),
            {
                "medium_from": "9",
                "high_from": "4",
                "floor_level": "medium",
                "review_weeks": "12",
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "<title>Error: " in html
        assert "The score for high risk must be higher" in html

    def test_edit_reorder_remove_and_publish(self, manager):
        draft = config.create_draft_tool(by=manager)
        first, second = list(draft.groups.all())[:2]
        with _Events() as events:
            group = config.add_group(by=manager, tool=draft, name="Online")
            added = config.add_indicator(
                by=manager, group=group, text="Groomed online", weight=4
            )
            config.move_group(by=manager, group=second, direction="up")
            config.rename_group(by=manager, group=group, name="Online harm")
            moved = first.indicators.first()
            config.update_indicator(
                by=manager,
                indicator=moved,
                group=group,
                text=moved.text,
                weight=5,
                is_significant=True,
            )
            config.move_indicator(by=manager, indicator=added, direction="down")
            last = first.indicators.last()
            config.remove_indicator(by=manager, indicator=last)
        assert [e.action for e in events.events] == ["change"] + ["change"] * 6
        assert all(e.target_id == str(draft.pk) for e in events.events)
        assert [g.name for g in draft.groups.all()][:2] == [second.name, first.name]
        assert [i.text for i in group.indicators.all()] == [
            moved.text,
            "Groomed online",
        ]
        assert not Indicator.objects.filter(pk=last.pk).exists()
        with pytest.raises(ValidationError):
            config.remove_group(by=manager, group=group)  # not empty
        with pytest.raises(ValidationError):
            config.move_group(by=manager, group=second, direction="up")  # first
        empty = config.add_group(by=manager, tool=draft, name="Empty")
        with pytest.raises(ValidationError) as error:
            config.publish_tool(by=manager, tool=draft)
        assert "Empty" in error.value.messages[0]
        config.remove_group(by=manager, group=empty)
        with _Events() as published:
            config.publish_tool(by=manager, tool=draft)
        assert [e.action for e in published.events] == ["change"]
        assert config.active_tool() == draft
        assert ScreeningTool.objects.filter(is_active=True).count() == 1

    def test_screening_after_publishing_uses_the_new_version(
        self, manager, world, client_for
    ):
        old = config.active_tool()
        old_screening = actions.record_screening(
            by=world.lead,
            person=world.child,
            tool=old,
            answers=_answers(old, yes={"Missing episodes"}),
            agreed_level="low",
        )
        assert old_screening.suggested_level == "low"  # weight 2 < 3
        draft = config.create_draft_tool(by=manager)
        config.update_tool_settings(
            by=manager,
            tool=draft,
            medium_from=2,
            high_from=5,
            significant_means_high=True,
            floor_under_age=13,
            floor_for_learning_disability=True,
            floor_level="medium",
            review_weeks=6,
        )
        config.publish_tool(by=manager, tool=draft)

        # The screening form now offers the new version's indicators.
        client = client_for(world.lead)
        url = reverse("cases:screening_new", kwargs={"pk": world.child.pk})
        html = client.get(url).content.decode()
        new_ids = set(
            Indicator.objects.filter(group__tool=draft).values_list("pk", flat=True)
        )
        old_ids = set(
            Indicator.objects.filter(group__tool=old).values_list("pk", flat=True)
        )
        assert all(f'name="i{pk}"' in html for pk in new_ids)
        assert not any(f'name="i{pk}"' in html for pk in old_ids)

        new_screening = actions.record_screening(
            by=world.lead,
            person=world.child,
            tool=config.active_tool(),
            answers=_answers(draft, yes={"Missing episodes"}),
            agreed_level="medium",
        )
        assert new_screening.tool == draft
        assert new_screening.suggested_level == "medium"  # weight 2 >= 2
        assert new_screening.review_on == new_screening.screened_on + dt.timedelta(
            weeks=6
        )
        old_screening.refresh_from_db()
        assert old_screening.tool == old
        assert old_screening.suggested_level == "low"
        assert set(old_screening.answers.values_list("indicator_id", flat=True)) == (
            old_ids
        )
        # The old version is kept as it was and can no longer change.
        old.refresh_from_db()
        assert (old.medium_from, old.high_from, old.is_active) == (3, 8, False)
        assert not config.is_draft(old)


class TestPages:
    def test_practitioner_and_auditor_are_refused(self, world, client_for):
        for user in (world.lead, world.auditor):
            response = client_for(user).get(reverse("cases:settings"))
            assert response.status_code == 403

    def test_navigation_shows_settings_to_managers_only(self, world, client_for):
        settings_url = reverse("cases:settings")
        manager_home = client_for(world.manager).get(reverse("cases:my_cases"))
        assert f'href="{settings_url}"' in manager_home.content.decode()
        lead_home = client_for(world.lead).get(reverse("cases:my_cases"))
        assert f'href="{settings_url}"' not in lead_home.content.decode()

    def test_every_page_renders_for_a_draft(self, admin, client_for):
        draft = config.create_draft_tool(by=admin)
        group = draft.groups.first()
        indicator = group.indicators.first()
        client = client_for(admin)
        t = {"tool_pk": draft.pk}
        urls = [
            reverse("cases:settings"),
            reverse("cases:language_rules"),
            reverse("cases:language_rule_add"),
            reverse(
                "cases:language_rule_edit",
                kwargs={"rule_pk": LanguageRule.objects.first().pk},
            ),
            reverse("cases:assessment_types"),
            reverse("cases:assessment_type_add"),
            reverse(
                "cases:assessment_type_edit",
                kwargs={"type_pk": AssessmentType.objects.first().pk},
            ),
            reverse("cases:screening_tool"),
            reverse("cases:screening_tool_version", kwargs=t),
            reverse("cases:screening_tool_settings", kwargs=t),
            reverse("cases:screening_tool_publish", kwargs=t),
            reverse("cases:screening_group_add", kwargs=t),
            reverse("cases:screening_group_edit", kwargs={**t, "group_pk": group.pk}),
            reverse(
                "cases:screening_indicator_add", kwargs={**t, "group_pk": group.pk}
            ),
            reverse(
                "cases:screening_indicator_edit",
                kwargs={**t, "indicator_pk": indicator.pk},
            ),
        ]
        for url in urls:
            assert client.get(url).status_code == 200, url

    def test_create_version_twice_goes_to_the_draft(self, admin, client_for):
        client = client_for(admin)
        url = reverse("cases:screening_tool_new")
        first = client.post(url)
        draft = config.draft_tool()
        target = reverse("cases:screening_tool_version", kwargs={"tool_pk": draft.pk})
        assert first["Location"] == target
        second = client.post(url)
        assert second["Location"] == target
        assert ScreeningTool.objects.filter(is_active=False).count() == 1

    def test_edit_pages_of_the_active_version_redirect(self, admin, client_for):
        active = config.active_tool()
        response = client_for(admin).post(
            reverse("cases:screening_group_add", kwargs={"tool_pk": active.pk}),
            {"name": "Sneaky"},
        )
        assert response.status_code == 302
        assert not active.groups.filter(name="Sneaky").exists()

    def test_other_agency_manager_sees_the_same_settings(self, world, client_for):
        other = practitioner(world.police, Role.TEAM_MANAGER)
        assert client_for(other).get(reverse("cases:settings")).status_code == 200
