"""The OpenAPI schema is generated without a warning from drf-spectacular (an enum
named twice, a view it cannot read): a warning means clients see a schema that
does not say what the API does."""

from __future__ import annotations

import pytest
from django.core.management import call_command


def test_schema_generates_without_warnings(tmp_path):
    try:
        call_command(
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yml"),
        )
    except Exception as error:  # noqa: BLE001 - reported with its message
        pytest.fail(f"drf-spectacular: {error}")


def test_the_analysts_api_is_in_the_schema(tmp_path):
    """Issue 16: analysts automate their monthly work through the API, so its
    schema names the agreements, the imports (upload, progress, problems) and the
    SNA with the dashboard's filters."""
    import yaml

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(out))
    paths = yaml.safe_load(out.read_text())["paths"]
    assert "get" in paths["/api/sharing-agreements/"]
    assert "get" in paths["/api/sharing-agreements/{id}/"]
    assert {"get", "post"} <= set(paths["/api/imports/"])
    assert "get" in paths["/api/imports/{id}/"]
    assert "get" in paths["/api/imports/{id}/problems/"]
    upload = paths["/api/imports/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
    sna = paths["/api/partnerships/{slug}/sna/"]["get"]
    names = {p["name"] for p in sna["parameters"]}
    assert {"period_from", "period_to", "kind", "area", "suppress"} <= names
