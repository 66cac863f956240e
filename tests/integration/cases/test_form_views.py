"""The cases pages that write: a valid form runs the action and redirects; an
invalid form or a refusal by the action shows the form again with the error
(core.formviews.form_action)."""

from __future__ import annotations

from django.urls import reverse

from svduty.cases.models import AccessRequest, CaseTeamMember, TeamRole


def test_access_request_then_the_refusal_of_a_second_on_the_form(world, client_for):
    client = client_for(world.other_agency)
    url = reverse("cases:access_request", kwargs={"pk": world.child.pk})
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert "govuk-error-summary" in empty.content.decode()
    first = client.post(url, {"reason": "Working with the family"})
    assert first.status_code == 302
    assert first["Location"] == reverse("cases:person", kwargs={"pk": world.child.pk})
    again = client.post(url, {"reason": "Still working with the family"})
    assert again.status_code == 200
    page = again.content.decode()
    assert "You have already asked for access to this record" in page
    assert "govuk-error-summary" in page
    assert (
        AccessRequest.objects.filter(
            person=world.child, requested_by=world.other_agency
        ).count()
        == 1
    )


def test_team_member_added_by_the_lead_and_refused_to_others(world, client_for):
    url = reverse("cases:team", kwargs={"pk": world.child.pk})
    role = TeamRole.KEY_WORKER
    response = client_for(world.lead).post(
        url, {"user": world.same_agency.pk, "role": role}
    )
    assert response.status_code == 302
    assert CaseTeamMember.objects.filter(
        person=world.child, user=world.same_agency, ended_at__isnull=True
    ).exists()
    invalid = client_for(world.lead).post(url, {"user": "", "role": role})
    assert invalid.status_code == 200
    assert "govuk-error-summary" in invalid.content.decode()
    assert (
        client_for(world.granted)
        .post(url, {"user": world.same_agency.pk, "role": role})
        .status_code
        == 403
    )
