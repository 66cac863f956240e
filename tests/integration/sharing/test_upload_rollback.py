"""An uploaded file is saved and its import queued in one transaction
(sharing.imports.save_and_queue): when the queueing is refused or fails for any
reason, the saved copy goes with the rolled-back batch, so MEDIA_ROOT/imports never
keeps a file that no batch points to (issue 12's rule for stored documents, applied
to import uploads)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction

from svduty.sharing import imports
from svduty.sharing.models import BatchStatus, ImportBatch
from tests.factories.sharing import POLICE_STREET_HEADER, street_row

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _upload() -> SimpleUploadedFile:
    content = (POLICE_STREET_HEADER + "\n" + street_row() + "\n").encode()
    return SimpleUploadedFile("2024-01-cleveland-street.csv", content)


def _queue(analyst, partnership):
    return lambda saved: imports.queue_import(
        by=analyst,
        partnership=partnership,
        kind="police_street",
        path=saved,
        file_name="2024-01-cleveland-street.csv",
        upload_path=str(saved),
    )


def _stored(settings) -> list:
    folder = settings.MEDIA_ROOT / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return settings


def test_a_queued_upload_keeps_its_file_and_the_batch_points_to_it(
    media, analyst, partnership
):
    batch, saved = imports.save_and_queue(_upload(), _queue(analyst, partnership))
    assert batch.status == BatchStatus.QUEUED
    assert _stored(media) == [saved]
    assert ImportBatch.objects.get().upload_path == str(saved)


@pytest.mark.parametrize(
    "failure",
    [DatabaseError("the connection was lost"), ValidationError("refused")],
    ids=["database-error", "refusal"],
)
def test_a_failed_queueing_leaves_neither_batch_nor_file(
    media, analyst, partnership, failure
):
    def queue_then_fail(saved):
        _queue(analyst, partnership)(saved)  # the batch row is written...
        raise failure  # ...then something goes wrong before the commit

    with pytest.raises(type(failure)):
        imports.save_and_queue(_upload(), queue_then_fail)
    assert ImportBatch.objects.count() == 0
    assert _stored(media) == [], "the saved copy went with the rolled-back batch"


def test_an_outer_transaction_rolled_back_takes_the_file_with_it(
    media, analyst, partnership
):
    with pytest.raises(RuntimeError), transaction.atomic():
        imports.save_and_queue(_upload(), _queue(analyst, partnership))
        assert len(_stored(media)) == 1  # kept until the outer decision
        raise RuntimeError("a caller around the upload gives up")
    assert ImportBatch.objects.count() == 0
    assert _stored(media) == []
