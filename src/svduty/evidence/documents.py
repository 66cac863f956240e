"""Documents uploaded as evidence for a self-assessment (issue 12 point 2).

Accepted: PDF, Word (.docx), Excel (.xlsx), CSV and PNG or JPEG images, up to
`EVIDENCE_DOCUMENT_MAX_BYTES`. The type is read from the file's first bytes (and,
for .docx and .xlsx, from the zip's own directory, without decompressing it), and
must match the file's extension; anything else is refused with a message that says
what to do. Files are kept under MEDIA_ROOT/evidence with a random name, as the
imports are (sharing/imports.py); the user's file name is kept only to name the
download."""

from __future__ import annotations

import errno
import uuid
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from svduty.core.storedfiles import remove_on_rollback
from svduty.sharing.readers.base import sniff
from svduty.sharing.uploads import check_expansion

FOLDER = "evidence"


class DocumentType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word document"
    XLSX = "xlsx", "Excel workbook"
    CSV = "csv", "CSV"
    PNG = "png", "PNG image"
    JPEG = "jpeg", "JPEG image"


EXTENSIONS: dict[str, DocumentType] = {
    ".pdf": DocumentType.PDF,
    ".docx": DocumentType.DOCX,
    ".xlsx": DocumentType.XLSX,
    ".csv": DocumentType.CSV,
    ".png": DocumentType.PNG,
    ".jpg": DocumentType.JPEG,
    ".jpeg": DocumentType.JPEG,
}

CONTENT_TYPES: dict[str, str] = {
    DocumentType.PDF: "application/pdf",
    DocumentType.DOCX: "application/vnd.openxmlformats-officedocument."
    "wordprocessingml.document",
    DocumentType.XLSX: "application/vnd.openxmlformats-officedocument."
    "spreadsheetml.sheet",
    DocumentType.CSV: "text/csv",
    DocumentType.PNG: "image/png",
    DocumentType.JPEG: "image/jpeg",
}

ACCEPTED = "a PDF, Word document (.docx), Excel workbook (.xlsx), CSV, PNG or JPEG"


def max_bytes() -> int:
    return int(settings.EVIDENCE_DOCUMENT_MAX_BYTES)


def too_large_message() -> str:
    return (
        f"The selected file must be smaller than {max_bytes() // (1024 * 1024)} MB. "
        "Save a smaller copy (for example as PDF) or link to it instead."
    )


def _office_part(handle: Any) -> str:
    """Which Office document a zip is, from its directory ('' if neither)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""
    if "word/document.xml" in names:
        return DocumentType.DOCX
    if "xl/workbook.xml" in names:
        return DocumentType.XLSX
    return ""


def check_document(uploaded: Any) -> DocumentType:
    """The type of an uploaded document, or ValidationError saying what is wrong."""
    name = str(getattr(uploaded, "name", "") or "")
    wanted = EXTENSIONS.get(Path(name).suffix.lower())
    if wanted is None:
        raise ValidationError(f"The selected file must be {ACCEPTED}")
    size = int(getattr(uploaded, "size", 0) or 0)
    if size > max_bytes():
        raise ValidationError(too_large_message())
    uploaded.seek(0)
    head = uploaded.read(4096)
    uploaded.seek(0)
    if not head:
        raise ValidationError("The selected file is empty")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        found: str = DocumentType.PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = DocumentType.JPEG
    else:
        found = sniff(head)
        if found == "xlsx":  # any zip: look inside for what it really is
            found = _office_part(uploaded)
            uploaded.seek(0)
            if found:
                check_expansion(uploaded, size)
                uploaded.seek(0)
    if found != wanted:
        label = DocumentType(wanted).label
        raise ValidationError(
            f"The selected file is named as a {label} but its contents are not one. "
            f"Open it and save it again, or upload {ACCEPTED}"
        )
    return DocumentType(wanted)


def save_document(uploaded: Any) -> str:
    """Save under MEDIA_ROOT/evidence with a random name; the path relative to
    MEDIA_ROOT. Call it inside the transaction that records the document: the file
    is removed if that transaction (or the savepoint it is saved in) rolls back,
    whoever rolls it back (core/storedfiles.py)."""
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(uploaded.name).suffix.lower()[:10]
    relative = f"{FOLDER}/{uuid.uuid4().hex}{suffix}"
    destination = Path(settings.MEDIA_ROOT) / relative
    try:
        with open(destination, "wb") as handle:
            for chunk in uploaded.chunks():
                handle.write(chunk)
    except OSError as error:
        destination.unlink(missing_ok=True)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise ValidationError(
                {
                    "document": "The server has no room to store the selected file, "
                    "so nothing was saved. Tell your system administrator, then "
                    "upload it again."
                }
            ) from error
        raise
    remove_on_rollback(destination)
    return relative


def path_of(relative: str) -> Path:
    """The stored file for a saved path (always inside MEDIA_ROOT/evidence)."""
    root = (Path(settings.MEDIA_ROOT) / FOLDER).resolve()
    found = (Path(settings.MEDIA_ROOT) / relative).resolve()
    if root not in found.parents:
        raise FileNotFoundError(relative)
    return found
