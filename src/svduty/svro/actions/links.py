"""Linking an order holder to the shared person record in `cases`: only someone who
may manage the holder and read the person's full record links or unlinks them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person

from ..models import Holder, PersonLink
from .common import require_holder


def _require_person(by: User, person: Person) -> None:
    # The same words whether the record does not exist or is out of the user's
    # scope: the answer must not reveal a record the user may not see.
    if not Person.objects.visible_to(by).filter(pk=person.pk).exists():
        raise ValidationError({"person": "Select a record you can see"})


@transaction.atomic
def link_person(*, by: User, holder: Holder, person: Person) -> PersonLink:
    require_holder(by, holder)
    _require_person(by, person)
    if PersonLink.objects.filter(holder=holder, person=person).exists():
        raise ValidationError({"person": "This record is already linked"})
    link = PersonLink.objects.create(holder=holder, person=person, linked_by=by)
    record(
        AuditAction.CREATE,
        actor=by,
        target=holder,
        detail={"what": "person link", "person": person.pk},
    )
    return link


@transaction.atomic
def unlink_person(*, by: User, link: PersonLink) -> None:
    require_holder(by, link.holder)
    _require_person(by, link.person)
    holder, person_id = link.holder, link.person_id
    link.delete()
    record(
        AuditAction.DELETE,
        actor=by,
        target=holder,
        detail={"what": "person link", "person": person_id},
    )
