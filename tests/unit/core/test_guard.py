"""core.guard: audited models refuse direct writes outside their app's actions."""

from __future__ import annotations

import pytest
from django.apps import apps

from svduty.cases.models import CaseTeamMember, Person
from svduty.core.guard import (
    DirectWriteRefused,
    GuardedModel,
    GuardedQuerySet,
    allowed,
    writes_allowed,
)


@pytest.mark.parametrize(
    ("writer", "ok"),
    [
        ("svduty.cases.actions", True),
        ("svduty.cases.actions.people", True),
        ("svduty.cases.migrations.0001_initial", True),
        ("svduty.cases.demo", True),
        ("svduty.meetings.demo", True),
        ("tests.factories.cases", True),
        ("svduty.cases.views.person", False),
        ("svduty.cases.forms", False),
        ("svduty.cases.api", False),
        ("svduty.meetings.actions.record", False),
        ("svduty.cases.actionsmith", False),
        ("svduty.cases.actions_people", True),
        ("svduty.meetings.actions_people", False),
        ("svduty.sharing.demo_s17", True),
        ("svduty.cases.demolition", False),
        ("svduty.core.management.commands.demo", False),
    ],
)
def test_who_may_write_a_guarded_model(writer, ok):
    assert allowed(Person, writer) is ok


def test_a_model_outside_models_py_belongs_to_its_app():
    from svduty.partnership.models import RelevantAuthority  # in registers.py

    assert allowed(RelevantAuthority, "svduty.partnership.actions_register")
    assert not allowed(RelevantAuthority, "svduty.partnership.registers")


def test_the_escape_hatch_allows_anyone_and_asks_why():
    with writes_allowed("a data repair agreed with the DPO"):
        assert allowed(Person, "svduty.cases.views.person")
    assert not allowed(Person, "svduty.cases.views.person")
    with pytest.raises(ValueError), writes_allowed(" "):
        pass


def _run_as(module: str, code: str) -> None:
    """Run `code` as if it were written in `module` (a view, say)."""
    names = {"__name__": module, "Person": Person, "CaseTeamMember": CaseTeamMember}
    exec(code, names)  # noqa: S102 - fixed code from this file, run as another module


@pytest.mark.parametrize(
    "code",
    [
        "Person(first_name='A', last_name='B').save()",
        "Person.objects.create(first_name='A', last_name='B')",
        "Person.objects.filter(pk=0).update(first_name='C')",
        "Person.objects.filter(pk=0).delete()",
        "Person.objects.bulk_create([Person(first_name='A', last_name='B')])",
        "CaseTeamMember.objects.filter(pk=0).update(ended_at=None)",
        "Person(pk=1, first_name='A', last_name='B').delete()",
    ],
)
def test_a_view_writing_directly_is_refused_before_the_database(code):
    with pytest.raises(DirectWriteRefused, match="through svduty.cases.actions"):
        _run_as("svduty.cases.views.fake", code)


def test_every_guarded_model_has_guarded_managers():
    guarded = [m for m in apps.get_models() if issubclass(m, GuardedModel)]
    assert {Person, CaseTeamMember} <= set(guarded)
    for model in guarded:
        for manager in model._meta.managers:
            assert isinstance(manager.get_queryset(), GuardedQuerySet), (
                model.__name__,
                manager.name,
            )
