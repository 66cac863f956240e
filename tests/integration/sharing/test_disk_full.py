"""A full disk while a file is uploaded (issue 14, build 7): the user is told plainly
that the server has no room and nothing was saved or queued; no half-written file is
left behind; never a 500. While the form streams in (Django stores its files as it
reads it), any form: a 507 page. While the import's copy is saved: the upload form
again with the error."""

from __future__ import annotations

import errno
import gc
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

from svduty.sharing.models import ImportBatch
from tests.factories.sharing import POLICE_STREET_HEADER, street_row

NO_ROOM = "The server has no room to store the selected file"


@pytest.fixture
def client(analyst, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = Client(raise_request_exception=False)
    client.force_login(analyst)
    return client


def _post(client, partnership, agreement=None):
    content = (POLICE_STREET_HEADER + "\n" + street_row() + "\n").encode()
    return client.post(
        reverse("sharing:upload"),
        {
            "partnership": partnership.pk,
            "kind": "police_street",
            "agreement": agreement.pk if agreement else "",
            "file": SimpleUploadedFile("2024-01-cleveland-street.csv", content),
        },
    )


def _refused(response, tmp_path):
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "There is a problem" in page
    assert NO_ROOM in page
    assert ImportBatch.objects.count() == 0, "nothing was queued"
    imports = tmp_path / "imports"
    assert not imports.exists() or list(imports.iterdir()) == [], "no partial file"


def test_a_full_disk_when_the_upload_is_saved_is_refused_plainly(
    client, partnership, agreement, tmp_path
):
    real_open = open

    class FullDisk:
        def __init__(self, path, mode):
            self.handle = real_open(path, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, chunk):
            self.handle.write(chunk[:10])  # some of it lands, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")

    with mock.patch("svduty.sharing.imports.open", FullDisk, create=True):
        response = _post(client, partnership, agreement)
    _refused(response, tmp_path)


# Django leaves the temporary file it was writing to the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_full_disk_while_the_upload_streams_in_is_refused_plainly(
    client, partnership, settings, tmp_path
):
    # Every upload goes to a temporary file (as a large one does), and the disk
    # fills while it is written.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0

    handlers = []

    def full(self, raw_data, start):
        handlers.append(self)
        raise OSError(errno.ENOSPC, "No space left on device")

    with mock.patch.object(TemporaryFileUploadHandler, "receive_data_chunk", full):
        response = _post(client, partnership)
    assert response.status_code == 507
    page = response.content.decode()
    assert "the server has no room for your file" in page
    assert "nothing was saved or queued" in page
    assert ImportBatch.objects.count() == 0
    # Django leaves the temporary file it was writing open (the error's traceback,
    # kept by the log capture, holds it): closed here, so its ResourceWarning cannot
    # surface in whichever later test the garbage collector happens to run in.
    assert handlers
    for handler in handlers:
        handler.file.close()
    gc.collect()
