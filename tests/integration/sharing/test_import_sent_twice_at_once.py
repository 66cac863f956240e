"""Concurrency (issue 14, build 8): the same import sent twice at the same moment.

Two uploads of the same month of crime data are queued and run at the same moment
in two threads, each with its own PostgreSQL connection (two workers). Publishing
takes one lock per partnership and kind and checks for an earlier import under it,
so one import succeeds, the other is marked a duplicate of it, the rows are there
once, and neither raises."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from svduty.sharing.imports import TARGETS, queue_import, run_batch
from svduty.sharing.models import BatchStatus, ImportBatch

from .conftest import STREET_2022_01, STREET_2022_01_ROWS


@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_twice_at_once_is_imported_once(
    analyst, partnership, agreement
):
    barrier = threading.Barrier(2, timeout=120)
    outcomes: dict[int, object] = {}

    def upload_and_run(n: int) -> None:
        try:
            batch = queue_import(
                by=analyst,
                partnership=partnership,
                kind="police_street",
                path=STREET_2022_01,
                file_name=STREET_2022_01.name,
                agreement=agreement,
            )
            barrier.wait()
            outcomes[n] = run_batch(batch, STREET_2022_01, rebuild_snapshot=False)
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=upload_and_run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads)
    assert all(isinstance(o, ImportBatch) for o in outcomes.values()), outcomes
    statuses = sorted(str(b.status) for b in outcomes.values())
    assert statuses == sorted([BatchStatus.SUCCEEDED, BatchStatus.DUPLICATE])
    won = next(b for b in outcomes.values() if b.status == BatchStatus.SUCCEEDED)
    lost = next(b for b in outcomes.values() if b.status == BatchStatus.DUPLICATE)
    assert lost.duplicate_of_id == won.pk
    assert "already imported" in lost.message
    assert TARGETS["police_street"].model.objects.count() == STREET_2022_01_ROWS
    assert won.rows_imported == STREET_2022_01_ROWS
