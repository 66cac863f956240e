"""A navigation entry whose page does not exist fails the system checks (start-up)."""

from __future__ import annotations

from svduty.core import context_processors
from svduty.core.checks import navigation_targets_exist


def test_every_navigation_entry_names_a_page():
    assert navigation_targets_exist() == []


def test_a_missing_navigation_target_is_an_error(monkeypatch):
    monkeypatch.setattr(
        context_processors,
        "NAVIGATION",
        [*context_processors.NAVIGATION, ("Nowhere", "nowhere:home", None)],
    )
    [error] = navigation_targets_exist()
    assert error.id == "svduty.E001" and "nowhere:home" in error.msg
