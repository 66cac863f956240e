"""Uploads are refused at the form, before anything is queued, when they are too
large (stopped while streaming), not the type their kind accepts, or a workbook that
would expand too far (issue 14: a 242 KB .xlsx held a 90 MB sheet)."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from svduty.sharing.models import ImportBatch
from tests.factories.sharing import POLICE_STREET_HEADER, street_row

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)


def _post(client, partnership, kind, name, content):
    return client.post(
        reverse("sharing:upload"),
        {
            "partnership": partnership.pk,
            "kind": kind,
            "agreement": "",
            "file": SimpleUploadedFile(name, content),
        },
    )


def _workbook(sheet_bytes: int, *, realistic: bool = False) -> bytes:
    """A zip shaped like an .xlsx whose one sheet is `sheet_bytes` long: one value
    repeated (it compresses about 1,000 times, like a zip bomb), or varied numbers
    (about 3 to 8 times, like the real ONS and MHCLG workbooks)."""
    if realistic:
        rng = random.Random(7)
        cells = b"".join(
            b"<c>%d</c>" % rng.randrange(10**6) for _ in range(sheet_bytes // 12)
        )
    else:
        cells = b"<c>0</c>" * (sheet_bytes // 8)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", cells)
    return buffer.getvalue()


def _refused(response, words: str) -> None:
    assert response.status_code == 200, "the form is shown again with the error"
    page = response.content.decode()
    assert "There is a problem" in page
    assert words in page, page[page.find("govuk-error-summary") :][:800]
    assert ImportBatch.objects.count() == 0, "nothing was queued"


@pytest.fixture
def client(client_for, analyst, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return client_for(analyst)


def test_a_file_over_the_limit_is_stopped_while_streaming(
    client, partnership, settings
):
    settings.UPLOAD_MAX_BYTES = 4096
    rows = "\n".join([POLICE_STREET_HEADER] + [street_row() for _ in range(200)])
    assert len(rows) > 4096
    response = _post(client, partnership, "police_street", "big.csv", rows.encode())
    _refused(response, "must be smaller than")


def test_an_image_named_csv_is_refused_for_what_it_is(client, partnership):
    response = _post(client, partnership, "police_street", "photo.csv", PNG)
    _refused(response, "binary file such as an image")


def test_utf16_text_is_refused_with_how_to_save_it(client, partnership):
    text = (POLICE_STREET_HEADER + "\n").encode("utf-16")
    response = _post(client, partnership, "police_street", "street.csv", text)
    _refused(response, "CSV UTF-8")


def test_a_workbook_that_expands_too_far_is_refused(client, partnership):
    bomb = _workbook(30 * 1024 * 1024)
    assert len(bomb) < 200 * 1024
    response = _post(client, partnership, "lsoa_population", "sape.xlsx", bomb)
    _refused(response, "expands to far more than its size")


def test_a_workbook_over_the_absolute_limit_is_refused(client, partnership, settings):
    settings.UPLOAD_EXPANDED_MAX_BYTES = 1024 * 1024
    settings.UPLOAD_EXPANSION_RATIO_MAX = 10**6
    response = _post(
        client, partnership, "lsoa_population", "sape.xlsx", _workbook(2 * 1024 * 1024)
    )
    _refused(response, "more than the")


def test_a_broken_workbook_is_refused(client, partnership):
    response = _post(
        client, partnership, "lsoa_population", "sape.xlsx", b"PK\x03\x04broken"
    )
    _refused(response, "could not be opened as an Excel workbook")


def test_an_ordinary_workbook_passes_the_checks():
    from svduty.sharing.uploads import check_upload

    workbook = _workbook(256 * 1024, realistic=True)
    check_upload(SimpleUploadedFile("ok.xlsx", workbook), "lsoa_population")
