"""Malformed input gets a clear 400 (JSON problem details under /api/), never a 500.

Each case here was a 500 found by probing the demo (issue 14): a NUL character in a
search, superscript digits that `str.isdigit()` accepts and `int()` refuses, a page
number beyond PostgreSQL's bigint, and a JSON list where an id was expected."""

from __future__ import annotations

import pytest
from django.test import Client

from svduty.core.params import BIGINT_MAX, PAGE_MAX, parse_id, parse_page
from svduty.core.problems import PROBLEM_CONTENT_TYPE
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client_for):
    council = AgencyFactory(name="Malformed Council")
    partnership = partnership_with(council)
    user = practitioner(council)
    child = person_on_team(user, partnership=partnership)
    return client_for(user), child


def _is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"]
    return body


def test_a_nul_character_in_a_search_is_a_400(signed_in):
    client, _ = signed_in
    _is_problem(client.get("/api/cases/people/search/?q=a%00b"), 400)
    assert client.get("/children/search/?name=a%00b").status_code == 400


@pytest.mark.parametrize("path", ["referrals", "screenings", "assessments", "plans"])
def test_superscript_digits_for_a_person_are_a_400(signed_in, path):
    client, _ = signed_in
    body = _is_problem(client.get(f"/api/cases/{path}/?person=%C2%B2"), 400)
    assert "person" in body["errors"]


def test_a_valid_person_filter_still_filters(signed_in):
    client, child = signed_in
    response = client.get(f"/api/cases/referrals/?person={child.pk}")
    assert response.status_code == 200


def test_a_page_number_beyond_bigint_shows_the_last_page(signed_in):
    client, _ = signed_in
    response = client.get("/children/?page=99999999999999999999")
    assert response.status_code == 200


@pytest.mark.parametrize("person", [[1, 2], "²", {"id": 1}, True, None])
def test_a_referral_with_a_malformed_person_is_a_400(signed_in, person):
    client, _ = signed_in
    response = client.post(
        "/api/cases/referrals/", {"person": person}, content_type="application/json"
    )
    body = _is_problem(response, 400)
    assert "person" in body["errors"]


def test_a_json_body_that_is_not_an_object_is_a_400(signed_in):
    client, _ = signed_in
    response = client.post(
        "/api/cases/referrals/", [1, 2], content_type="application/json"
    )
    _is_problem(response, 400)


def test_nul_inside_a_json_body_is_a_400(signed_in):
    client, child = signed_in
    response = client.post(
        "/api/cases/referrals/",
        '{"person": ' + str(child.pk) + ', "what_is_known": "a\\u0000b"}',
        content_type="application/json",
    )
    assert "NUL" in _is_problem(response, 400)["detail"]


def test_unknown_api_address_is_a_json_404(signed_in):
    client, _ = signed_in
    _is_problem(client.get("/api/no-such-thing/"), 404)


def test_api_refusal_of_an_anonymous_caller_is_a_json_problem():
    _is_problem(Client().get("/api/cases/referrals/"), 401)


def test_parse_id_accepts_only_ascii_digits_in_range():
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(9) == 9
    for bad in ["²", "٣", "-1", "0", "1.0", "", None, [1], True, str(BIGINT_MAX + 1)]:
        assert parse_id(bad) is None, bad
    assert parse_id(str(BIGINT_MAX)) == BIGINT_MAX


def test_parse_page_is_always_a_usable_number():
    assert parse_page("3") == 3 and parse_page(None) == 1 and parse_page("0") == 1
    assert parse_page("²") == 1 and parse_page("abc") == 1
    assert (
        parse_page("9" * 40) == PAGE_MAX and parse_page(str(PAGE_MAX + 1)) == PAGE_MAX
    )
