"""An order holder linked to the shared person record in `cases` (issue 10): only
someone who may see both ends makes, sees or removes a link; the register's page and
the person's record each show it; every view and change is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.cases.models import PersonKind
from svduty.core.authorisation import Role
from svduty.svro import actions
from svduty.svro.models import PersonLink
from tests.factories.cases import partnership_with, person_on_team, practitioner
from tests.factories.svro import force, make_holder, make_order

pytestmark = pytest.mark.django_db

BORN = dt.date(2000, 5, 17)


@pytest.fixture
def police():
    agency = force()
    partnership_with(agency, name="Cleveland Partnership")
    return agency


@pytest.fixture
def both(police):
    """A police officer on a multi-agency team: SVRO officer and practitioner."""
    user = practitioner(police, role=Role.SVRO_OFFICER)
    user.roles = [Role.SVRO_OFFICER.value, Role.PRACTITIONER.value]
    user.save()
    return user


@pytest.fixture
def person(both):
    return person_on_team(
        both,
        first_name="Jordan",
        last_name="Example",
        date_of_birth=BORN,
        kind=PersonKind.ADULT,
    )


def test_link_seen_on_both_pages_and_audited(both, person, client_for):
    order = make_order(both)
    holder = order.holder
    client = client_for(both)
    page = client.get(reverse("svro:person_links", args=[holder.pk]))
    assert page.status_code == 200
    assert "Jordan Example" in page.content.decode()
    response = client.post(
        reverse("svro:person_links", args=[holder.pk]), {"person": person.pk}
    )
    assert response.status_code == 302
    assert PersonLink.objects.filter(holder=holder, person=person).exists()
    assert AuditEvent.objects.filter(
        action="create", detail__what="person link", detail__person=person.pk
    ).exists()
    holder_page = client.get(reverse("svro:holder", args=[holder.pk])).content.decode()
    assert reverse("cases:person", args=[person.pk]) in holder_page
    panel = client.get(reverse("svro:person_panel", args=[person.pk]))
    assert panel.status_code == 200
    text = panel.content.decode()
    assert reverse("svro:holder", args=[holder.pk]) in text
    assert reverse("svro:order", args=[order.pk]) in text
    assert AuditEvent.objects.filter(
        action="view", detail__page="svro person panel", detail__holders=[holder.pk]
    ).exists()
    # The person's record offers the panel to someone who may manage orders.
    record = client.get(reverse("cases:person", args=[person.pk])).content.decode()
    assert reverse("svro:person_panel", args=[person.pk]) in record


def test_a_link_is_hidden_from_who_cannot_see_the_person(
    both, person, police, client_for
):
    holder = make_holder(both)
    actions.link_person(by=both, holder=holder, person=person)
    # An SVRO officer of the same force without access to shared person records.
    officer = practitioner(police, role=Role.SVRO_OFFICER)
    client = client_for(officer)
    page = client.get(reverse("svro:holder", args=[holder.pk])).content.decode()
    assert "Jordan Example" in page  # the holder's own name
    assert reverse("cases:person", args=[person.pk]) not in page
    assert "Shared person records" not in page
    assert client.get(reverse("svro:person_panel", args=[person.pk])).status_code == 404
    links = client.get(reverse("svro:person_links", args=[holder.pk])).content.decode()
    assert reverse("cases:person", args=[person.pk]) not in links
    link = PersonLink.objects.get()
    remove = reverse("svro:person_link_remove", args=[link.pk])
    assert client.post(remove).status_code == 404
    assert PersonLink.objects.exists()
    # Nor can they make the link through the action.
    with pytest.raises(ValidationError):
        actions.link_person(by=officer, holder=make_holder(officer), person=person)


def test_another_forces_officer_gets_404(both, person, client_for):
    holder = make_holder(both)
    actions.link_person(by=both, holder=holder, person=person)
    durham = force("Durham Constabulary")
    other = practitioner(durham, role=Role.SVRO_OFFICER)
    other.roles = [Role.SVRO_OFFICER.value, Role.PRACTITIONER.value]
    other.save()
    client = client_for(other)
    assert client.get(reverse("svro:person_links", args=[holder.pk])).status_code == 404
    link = PersonLink.objects.get()
    remove = reverse("svro:person_link_remove", args=[link.pk])
    assert client.get(remove).status_code == 404


def test_only_records_the_user_may_read_are_offered(both, person, police, client_for):
    holder = make_holder(both)
    # A record with the same date of birth in the same partnership, whose case
    # team the user is not on: neither offered nor accepted.
    colleague = practitioner(police)
    hidden = person_on_team(
        colleague, first_name="Hidden", last_name="Example", date_of_birth=BORN
    )
    client = client_for(both)
    url = reverse("svro:person_links", args=[holder.pk])
    page = client.get(url).content.decode()
    assert "Jordan Example" in page and "Hidden" not in page
    response = client.post(url, {"person": hidden.pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Select one of the records shown" in text
    assert "<title>Error: Shared person records" in text
    assert client.post(url, {}).status_code == 200
    assert not PersonLink.objects.exists()


def test_remove_a_link(both, person, client_for):
    holder = make_holder(both)
    link = actions.link_person(by=both, holder=holder, person=person)
    client = client_for(both)
    url = reverse("svro:person_link_remove", args=[link.pk])
    assert "Remove the link" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not PersonLink.objects.exists()
    assert AuditEvent.objects.filter(
        action="delete", detail__what="person link", detail__person=person.pk
    ).exists()
    with pytest.raises(ValidationError):  # linking twice is refused
        actions.link_person(by=both, holder=holder, person=person)
        actions.link_person(by=both, holder=holder, person=person)
