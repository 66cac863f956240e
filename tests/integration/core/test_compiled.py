"""svduty.core.compiled: a queryset compiled once with stand-ins gives, for any
values, exactly the rows the ORM gives for those values (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, F, Func, IntegerField, Q
from django.utils import timezone

from svduty.cases.models import Person
from svduty.core import compiled
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    council = AgencyFactory(name="Compiled Council")
    partnership = partnership_with(council, name="Compiled Partnership")
    lead = practitioner(council, full_name="Lee Lead")
    other = practitioner(council, full_name="Oth Er")
    today = timezone.localdate()
    made = []
    for n in range(6):
        person = person_on_team(
            lead if n % 2 else other,
            partnership=partnership,
            first_name=f"Child{n}",
        )
        Person.objects.filter(pk=person.pk).update(
            next_due_on=today + dt.timedelta(days=n - 3)
        )
        made.append(person)
    return made, lead, other


def build(*, ids, lead, due_before, since):
    return (
        Person.objects.filter(pk__in=ids, next_due_on__lt=due_before)
        .filter(Q(lead_professional_id=lead) | Q(created_at__lt=since))
        .select_related("partnership", "lead_professional")
        .annotate(teams=Count("team"), twice=F("pk") * 2)
        .order_by("pk")
    )


def test_rows_are_the_orms_for_every_set_of_values(people):
    made, lead, other = people
    ids = [p.pk for p in made]
    today = timezone.localdate()
    key = ("test.compiled.models",)
    for values in (
        {"ids": ids[:3], "lead": lead.pk, "due_before": today, "since": timezone.now()},
        {
            "ids": ids[3:],
            "lead": other.pk,
            "due_before": today,
            "since": timezone.now(),
        },
        {
            "ids": ids[1:4],
            "lead": lead.pk,
            "due_before": today + dt.timedelta(days=5),
            "since": timezone.now() - dt.timedelta(days=1),
        },
    ):
        got = compiled.run(key, build, values)
        expected = list(build(**values))
        # Sent as the driver writes it: the same statement as binding the values.
        (entry,) = [v for k, v in compiled._cache.items() if k[0] == key]
        assert entry.literal is not None
        with connection.cursor() as cursor:
            raw = cursor.cursor
            sent = compiled._statement(entry.literal, values, raw)
            bound = raw.mogrify(entry.sql, compiled._params(entry, values))
        assert sent.split() == bound.split()
        assert [p.pk for p in got] == [p.pk for p in expected]
        for a, b in zip(got, expected, strict=True):
            assert a.__dict__.keys() == b.__dict__.keys()
            for field in ("first_name", "next_due_on", "teams", "twice"):
                assert getattr(a, field) == getattr(b, field)
            assert a.partnership == b.partnership
            assert a.lead_professional.full_name == b.lead_professional.full_name
            assert a._state.adding is False and a._state.db == "default"


def test_value_rows_and_lists_of_any_length(people):
    made, lead, _other = people

    def values_build(*, ids, day):
        return (
            Person.objects.filter(pk__in=ids, next_due_on__gte=day)
            .order_by("-pk")
            .values("pk", "first_name", "next_due_on")
        )

    today = timezone.localdate()
    for ids in ([made[0].pk], [p.pk for p in made], [], [made[2].pk, made[2].pk]):
        values = {"ids": ids, "day": today}
        assert compiled.run(("test.compiled.values",), values_build, values) == list(
            values_build(**values)
        )


def test_a_value_written_into_the_sql_is_refused(people):
    def written(*, pk):
        return Person.objects.annotate(
            n=Func(template=f"({pk})", output_field=IntegerField())
        ).filter(pk=pk)

    with pytest.raises(ValueError, match="written into the SQL"):
        compiled.run(("test.compiled.written",), written, {"pk": people[0][0].pk})


def test_a_value_changed_into_another_parameter_is_refused(people):
    def pattern(*, pk):
        return Person.objects.filter(first_name__contains=pk)

    with pytest.raises(ValueError, match="written into the SQL"):
        compiled.run(("test.compiled.pattern",), pattern, {"pk": 5})


def test_a_value_the_query_does_not_use_is_allowed(people):
    def unused(*, pk, unused):
        return Person.objects.filter(pk=pk).values("pk")

    pk = people[0][0].pk
    rows = compiled.run(("test.compiled.unused",), unused, {"pk": pk, "unused": 5})
    assert rows == [{"pk": pk}]


def test_a_prepared_statement_gives_the_same_rows_in_each_session(people):
    made, lead, other = people
    ids = [p.pk for p in made]
    today = timezone.localdate()
    key = ("test.compiled.prepared",)
    values = {"ids": ids[:4], "lead": lead.pk, "due_before": today, "since": None}
    values["since"] = timezone.now()
    expected = [p.pk for p in build(**values)]
    assert [p.pk for p in compiled.run(key, build, values, prepare=True)] == expected
    (entry,) = [v for k, v in compiled._cache.items() if k[0] == key]
    name = entry.prepared[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [name]
        )
        assert cursor.fetchone() == (1,)
    # Other values: the same statement, executed again, not prepared again.
    values = {**values, "lead": other.pk, "ids": ids[2:]}
    expected = [p.pk for p in build(**values)]
    assert [p.pk for p in compiled.run(key, build, values, prepare=True)] == expected
    # A new database session has no prepared statements: it prepares its own.
    connection.connection._svduty_prepared.discard(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {name}")
    assert [p.pk for p in compiled.run(key, build, values, prepare=True)] == expected


def test_a_constant_of_unicode_digits_is_kept_as_a_constant():
    from svduty.core.compiled import _is_int_text

    assert _is_int_text("-12") and _is_int_text("7")
    assert not _is_int_text("²") and not _is_int_text("-") and not _is_int_text("1.5")
