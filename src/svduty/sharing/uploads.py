"""Checks on an uploaded file before anything is queued (issue 14).

Three things are refused at upload, with a message that says what to do, so that no
worker ever spends memory on them:

- a file larger than `UPLOAD_MAX_BYTES`, stopped while it streams in
  (`SizeLimitHandler`), so the rest of it is never stored;
- a file whose first bytes show it is not a type the chosen kind accepts (a PNG
  named .csv, an old .xls, UTF-16 text): the same sniffing the readers use;
- a workbook (or any zip) that would expand past `UPLOAD_EXPANDED_MAX_BYTES`, or by
  more than `UPLOAD_EXPANSION_RATIO_MAX` times its size — a "zip bomb". The sizes come
  from the zip's own directory, so nothing is decompressed to find out.
"""

from __future__ import annotations

import zipfile
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from .readers import KINDS, FileProblem
from .readers.base import check_file_type, sniff

REFUSAL_ATTRIBUTE = "svduty_upload_refusal"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def too_large_message() -> str:
    limit = _megabytes(settings.UPLOAD_MAX_BYTES)
    return (
        f"The selected file must be smaller than {limit}. Split it into smaller "
        "files (for example one a month) and upload each."
    )


class SizeLimitHandler(FileUploadHandler):
    """Stops an upload as soon as it passes the limit, before it is stored.

    Listed first in FILE_UPLOAD_HANDLERS: it sees every chunk before the memory and
    temporary-file handlers store it. The refusal is left on the request for the
    view to show (`upload_refusal`); Django reads and discards the rest of the body.
    """

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            if self.request is not None:
                setattr(self.request, REFUSAL_ATTRIBUTE, too_large_message())
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers build the file


def upload_refusal(request: Any) -> str | None:
    """The message for an upload stopped while streaming, if it was."""
    return getattr(request, REFUSAL_ATTRIBUTE, None)


def check_expansion(handle: IO[bytes], size: int) -> None:
    """Refuse a zip (an .xlsx is one) that would expand too far or is not whole."""
    try:
        with zipfile.ZipFile(handle) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(
            "The selected file could not be opened as an Excel workbook (.xlsx). "
            "Open it in Excel and save it again as an Excel workbook."
        ) from error
    if expanded > settings.UPLOAD_EXPANDED_MAX_BYTES:
        raise ValidationError(
            "The selected workbook would take "
            f"{_megabytes(expanded)} once opened, more than the "
            f"{_megabytes(settings.UPLOAD_EXPANDED_MAX_BYTES)} allowed. Save the sheet "
            "you need as CSV UTF-8 and upload that, or split it."
        )
    if size and expanded / size > settings.UPLOAD_EXPANSION_RATIO_MAX:
        raise ValidationError(
            "The selected workbook expands to far more than its size "
            f"({expanded // max(size, 1):,} times), which real workbooks do not. "
            "Save the sheet you need as CSV UTF-8 and upload that."
        )


def check_upload(uploaded: Any, kind_key: str) -> None:
    """Raise ValidationError unless `uploaded` may be queued as `kind_key`."""
    kind = KINDS.get(kind_key)
    if kind is None:
        raise ValidationError("Select what kind of file it is")
    size = int(getattr(uploaded, "size", 0) or 0)
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(too_large_message())
    uploaded.seek(0)
    found = sniff(uploaded.read(4096))
    uploaded.seek(0)
    try:
        check_file_type(found, kind.file_types)
    except FileProblem as problem:
        raise ValidationError(problem.message) from problem
    if found == "xlsx":
        check_expansion(uploaded, size)
        uploaded.seek(0)
