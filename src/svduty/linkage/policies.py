"""Who may see which linked records.

* Reviewers (``REVIEW_LINKAGE``) see the partnership's partner records and pairs;
  a child's own record in svduty shows in a pair only to those who may read it.
* On a child's page, the partner records linked to the child show to whoever may
  read the child's full record (the case team and those granted access), and to
  no one else: a merge adds records to what the case team sees, never people to
  the case team.
"""

from __future__ import annotations

from django.db.models import QuerySet

from svduty.cases.models import Person
from svduty.core.types import AnyUser
from svduty.linkage.models import PersonRecord


def may_see_child(user: AnyUser, person_id: int) -> bool:
    return Person.objects.visible_to(user).filter(pk=person_id).exists()


def linked_to_child(user: AnyUser, person: Person) -> QuerySet[PersonRecord]:
    """The partner records linked with ``person``, if ``user`` may read them."""
    if not may_see_child(user, person.pk):
        return PersonRecord.objects.none()
    return PersonRecord.objects.filter(
        linked_person__case_person=person, case_person__isnull=True
    ).order_by("closed_at", "agency_code", "local_id")
