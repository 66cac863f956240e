import os
import secrets
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


def test_pages_carry_the_security_headers(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert (
        "frame-ancestors 'none'" in csp
        and "'nonce-" in csp
        and "unsafe-inline" not in csp
    )
    assert "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"]


def test_every_form_needs_a_csrf_token(make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "x", "password": "y"})
    assert response.status_code == 403


def test_signed_in_pages_are_not_cached(make_user, client_for):
    response = client_for(make_user("analyst")).get("/accounts/me/")
    assert response["Cache-Control"] == "no-store"


def test_deploy_checks_pass_with_production_settings(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SVDUTY_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="svduty.config.settings",
        SVDUTY_SECRET_KEY=secrets.token_urlsafe(64),
        SVDUTY_ALLOWED_HOSTS="svduty.example.gov.uk",
    )
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "svduty.manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SVDUTY_", "DJANGO_"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "svduty.config.settings"
    result = subprocess.run(
        [sys.executable, "-m", "svduty.manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SVDUTY_SECRET_KEY" in result.stderr


def test_mfa_cannot_be_switched_off_outside_the_demo():
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SVDUTY_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="svduty.config.settings",
        SVDUTY_SECRET_KEY="x" * 60,
        SVDUTY_DEMO_DISABLE_MFA="true",
    )
    result = subprocess.run(
        [sys.executable, "-m", "svduty.manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SVDUTY_DEMO_DISABLE_MFA" in result.stderr
