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


def test_embedded_postgres_command_needs_no_secret_key():
    """`make clean-db` runs `svduty embedded_postgres --stop` on machines with no
    SVDUTY_SECRET_KEY (issue 16, point 9); the status form shows the same path."""
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SVDUTY_TESTING", "SVDUTY_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "svduty.manage", "embedded_postgres"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Embedded PostgreSQL data folder" in result.stdout
