"""An order carries its holder's managing force (so that a force's orders are an
indexed filter, not a join through every holder: the orders page counts them on
every view). The action copies it; the database keeps it equal to the holder's."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from svduty.core.authorisation import Role
from svduty.svro.models import Order
from tests.factories.svro import force, make_holder, make_order

pytestmark = pytest.mark.django_db


def test_an_order_takes_its_holders_force(make_user):
    officer = make_user(Role.SVRO_OFFICER, agency=force())
    order = make_order(officer)
    assert order.managing_force_id == order.holder.managing_force_id
    assert Order.objects.visible_to(officer).get() == order


def test_the_database_refuses_an_order_of_another_force(make_user):
    officer = make_user(Role.SVRO_OFFICER, agency=force())
    order = make_order(officer)
    elsewhere = force("Durham Constabulary")
    order.managing_force = elsewhere
    with pytest.raises(IntegrityError), transaction.atomic():
        order.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(managing_force=elsewhere)
    assert Order.objects.get(pk=order.pk).managing_force_id != elsewhere.pk


def test_a_holders_new_force_is_carried_to_the_orders(make_user):
    """No action moves a holder to another force today; if anything ever does, the
    orders follow (ON UPDATE CASCADE), so the officers who see the holder see the
    orders."""
    officer = make_user(Role.SVRO_OFFICER, agency=force())
    order = make_order(officer)
    elsewhere = force("Durham Constabulary")
    other = make_user(Role.SVRO_OFFICER, agency=elsewhere)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE svro_holder SET managing_force_id = %s WHERE id = %s",
            [elsewhere.pk, order.holder_id],
        )
    assert Order.objects.get(pk=order.pk).managing_force_id == elsewhere.pk
    assert not Order.objects.visible_to(officer).exists()
    assert Order.objects.visible_to(other).get() == order


def test_the_orders_page_counts_only_the_forces_orders(make_user, client_for):
    cleveland = force()
    officer = make_user(Role.SVRO_OFFICER, agency=cleveland)
    for index in range(3):
        make_order(officer, make_holder(officer, name=f"Holder {index}"))
    other = make_user(Role.SVRO_OFFICER, agency=force("Durham Constabulary"))
    make_order(other, make_holder(other, name="Elsewhere"))
    page = client_for(officer).get(reverse("svro:register") + "?show=all")
    assert page.status_code == 200
    assert "Holder 2" in page.text and "Elsewhere" not in page.text
    assert page.context["page"].paginator.count == 3
