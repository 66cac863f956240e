"""The base layout, static pages, partials and error pages render."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory


@pytest.fixture
def anonymous_request():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.csp_nonce = "test-nonce"
    return request


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("404.html", "Page not found"),
        ("403.html", "You do not have permission to do this"),
        ("400.html", "Sorry, there is a problem with the service"),
        ("403_csrf.html", "Sorry, there is a problem with the service"),
    ],
)
def test_error_templates_render(anonymous_request, template, heading):
    html = render_to_string(template, request=anonymous_request)
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert f"<title>{heading} – svduty</title>" in html


def test_404_says_nothing_about_records(anonymous_request):
    html = render_to_string("404.html", request=anonymous_request)
    assert "If you typed the web address, check it is correct." in html
    for word in ("record", "permission", "access", "exist"):
        assert word not in html.split("<main", 1)[1].split("</main>", 1)[0].lower()


def test_500_renders_without_context_or_request():
    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
    assert '<link rel="stylesheet" href="/static/build/application.css">' in html
    assert "<script" not in html


def test_base_has_nonce_on_every_script_and_no_inline_styles(anonymous_request):
    html = render_to_string("core/accessibility.html", request=anonymous_request)
    assert html.count("<script") == html.count('nonce="test-nonce"')
    assert " style=" not in html
    assert " onclick=" not in html
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert 'class="govuk-service-navigation"' in html
    assert "Beta" in html


def test_demo_banner(anonymous_request):
    html = render_to_string(
        "core/cookies.html",
        {"demo_mode": True, "mfa_disabled": True},
        request=anonymous_request,
    )
    assert (
        "This is a demonstration. It holds synthetic data only and must not hold "
        "real personal data." in html
    )
    assert "Multi-factor authentication is switched off." in html
    html = render_to_string(
        "core/cookies.html", {"demo_mode": False}, request=anonymous_request
    )
    assert "This is a demonstration" not in html


def test_anonymous_header_offers_sign_in(anonymous_request):
    html = render_to_string("core/privacy.html", request=anonymous_request)
    assert ">Sign in</a>" in html
    assert "Sign out" not in html


@pytest.mark.django_db
def test_signed_in_header_and_timeout_dialog(make_user):
    user = make_user("analyst", full_name="Sam Patel")
    request = RequestFactory().get("/")
    request.user = user
    request.csp_nonce = "test-nonce"
    config = {
        "idle_seconds": 1800,
        "warning_seconds": 120,
        "keep_alive_url": "/session/keep-alive/",
        "sign_out_url": "/accounts/logout/",
        "timed_out_url": "/signed-out/timed-out/",
    }
    # Context passed explicitly wins over the context processor's values.
    html = render_to_string(
        "core/cookies.html",
        {"session_timeout": config, "current_agency_name": "Northshire Police"},
        request=request,
    )
    assert '<dialog class="app-timeout-dialog"' in html
    assert 'aria-labelledby="session-timeout-heading"' in html
    assert 'aria-describedby="session-timeout-description"' in html
    assert 'data-idle-seconds="1800"' in html
    assert "You’ll be signed out soon" in html
    assert "Sam Patel" in html and "Northshire Police" in html
    assert 'id="sign-out-form"' in html and ">Sign out</button>" in html
    assert '<meta name="csrf-token"' in html
    assert html.count("<script") == html.count('nonce="test-nonce"')


def test_messages_become_notification_banners(anonymous_request):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message

    messages = [
        Message(constants.SUCCESS, "Referral sent"),
        Message(constants.INFO, "Data refreshed overnight"),
    ]
    html = render_to_string(
        "core/cookies.html", {"messages": messages}, request=anonymous_request
    )
    assert "govuk-notification-banner--success" in html and "Referral sent" in html
    assert 'role="region"' in html and "Data refreshed overnight" in html


def test_chart_partial_has_spec_and_table(anonymous_request):
    spec = {"mark": "bar", "data": {"values": [{"month": "Jan", "n": 12}]}}
    html = render_to_string(
        "includes/chart.html",
        {
            "chart_id": "referrals",
            "title": "Referrals by month",
            "spec": spec,
            "head": ["Month", "Referrals"],
            "rows": [["January", 12], ["February", 3]],
            "suppress": True,
            "definition": "Referrals received by the partnership",
            "source": "Partner agencies’ referral records",
        },
    )
    payload = html.split('<script id="referrals-spec" type="application/json">', 1)[
        1
    ].split("</script>", 1)[0]
    assert json.loads(payload) == spec
    assert 'data-vega-spec="referrals-spec"' in html
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s">'
        "Table: Referrals by month</caption>" in html
    )
    assert "fewer than 5" in html
    assert "Partner agencies’ referral records" in html


def test_map_partial_has_geojson_and_table():
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": None,
                "properties": {"name": "Riverside", "value": 12.5, "band": 4},
            },
            {
                "type": "Feature",
                "geometry": None,
                "properties": {"name": "Hilltop", "value": None, "band": None},
            },
        ],
    }
    html = render_to_string(
        "includes/map.html",
        {
            "map_id": "wards",
            "title": "Violence with injury by ward",
            "geojson": geojson,
            "legend": [{"band": 4, "label": "10 to 14.9"}],
            "value_label": "Offences per 1,000 people",
        },
    )
    assert 'data-map-geojson="wards-geojson"' in html
    assert '<th scope="row" class="govuk-table__header">Riverside</th>' in html
    assert "No data" in html


def test_table_partial_aligns_numbers():
    html = render_to_string(
        "includes/table.html",
        {
            "caption": "Referrals by agency",
            "head": ["Agency", "Referrals"],
            "rows": [["Police", 1200], ["School", 2]],
            "suppress": True,
        },
    )
    assert (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
        "Referrals</th>" in html
    )
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1,200</td>' in html
    assert (
        '<td class="govuk-table__cell govuk-table__cell--numeric">fewer than 5</td>'
        in html
    )
    assert '<th scope="row" class="govuk-table__header">Police</th>' in html
