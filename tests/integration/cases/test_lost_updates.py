"""Concurrency (issue 14, point 8): practitioners saving the same child's record at
the same moment, each from the version they opened, in separate threads with their
own PostgreSQL connections. Exactly one save wins; every other is told the record
changed (optimistic locking); nothing is silently overwritten."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from svduty.cases import actions
from svduty.cases.actions.common import StaleRecordError
from svduty.cases.models import Person
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner

WRITERS = 6


@pytest.mark.django_db(transaction=True)
def test_simultaneous_edits_from_the_same_version_lose_nothing():
    council = AgencyFactory(name="Concurrency Council")
    partnership = partnership_with(council, name="Concurrency Partnership")
    lead = practitioner(council, Role.PRACTITIONER, full_name="Lee Lead")
    child = person_on_team(lead, partnership=partnership, first_name="Casey")
    opened_version = child.version
    barrier = threading.Barrier(WRITERS, timeout=120)
    outcomes: dict[int, str] = {}

    def save(n: int) -> None:
        try:
            person = Person.objects.get(pk=child.pk)
            barrier.wait()
            actions.update_person(
                by=lead,
                person=person,
                expected_version=opened_version,
                education_setting=f"School {n}",
            )
            outcomes[n] = "saved"
        except StaleRecordError:
            outcomes[n] = "stale"
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes[n] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)

    saved = [n for n, outcome in outcomes.items() if outcome == "saved"]
    assert len(saved) == 1, outcomes
    assert sorted(outcomes.values()).count("stale") == WRITERS - 1, outcomes
    child.refresh_from_db()
    assert child.education_setting == f"School {saved[0]}"
    assert child.version == opened_version + 1
