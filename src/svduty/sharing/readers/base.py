"""The contract every import reader follows.

Design (why it looks like this):

* **Streaming.** ``Reader.read(source)`` is a generator of *batches*: lists of up to
  ``batch_size`` (default 10,000) tuples, one tuple per good row, in the order of
  the kind's ``columns``. A 1,000,000-row police extract therefore never holds more
  than one batch of Python row objects; the caller writes each batch (``COPY`` into
  PostgreSQL, or ``polars.DataFrame(batch, schema=columns, orient="row")`` for
  Parquet) and lets it go. Plain tuples were chosen over DataFrames because
  validation is row-by-row anyway and tuples cost nothing to build.
* **Problems are collected, not raised.** A row that fails validation is left out
  of the batch and recorded as an :class:`ImportProblem` with the row number a
  spreadsheet user sees (header = row 1, first data row = row 2; for workbooks the
  sheet's own row number). After the generator is exhausted, ``reader.result``
  says whether the file is clean. **The caller decides all-or-nothing**: inside a
  transaction, import the batches and roll back if ``result.ok`` is false. At most
  ``max_problems`` (default 200) problems are kept; ``result.problems_not_shown``
  counts the rest so the page can say "and 1,234 more".
* **Whole-file problems are raised.** :class:`FileProblem` (wrong file type, empty
  file, not UTF-8, missing or unexpected columns) is raised from the generator,
  usually before the first batch. :class:`PatientIdentifierFound`, a subclass, can
  be raised part way through an ISTV file; the caller must then throw away every
  batch it has received, which the transaction does for it.
* **Spreadsheets** are read with python-calamine (Rust): it is 20-50 times faster
  than openpyxl and keeps cells in compact Rust memory, converting one row to
  Python objects at a time as ``iter_rows`` advances. The published ONS and MHCLG
  workbooks are at most ~35,000 rows, so holding the sheet's cells in Rust memory
  is fine. openpyxl's read-only mode was rejected for speed (seconds per workbook).
* **CSV** is read with the standard library ``csv`` module over a strict UTF-8
  decoder (a byte-order mark is accepted and dropped), which copes with CRLF
  line endings and quoted fields containing newlines. Row numbers count records
  (what a spreadsheet shows), not physical lines.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar, cast

DEFAULT_BATCH_SIZE = 10_000
DEFAULT_MAX_PROBLEMS = 200
#: How many rows of a workbook sheet to search for the header row.
HEADER_SEARCH_ROWS = 30

Source = str | Path | IO[bytes]
Batch = list[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One problem with one row (or one column, or the file) of an upload.

    ``row`` is the spreadsheet row number (header = 1) or, for GeoJSON, None with
    the feature number in the message. ``message`` is written for the person who
    made the file, in GOV.UK style, and never contains Python exception text.
    """

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column ‘{self.column}’")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class FileProblem(Exception):
    """The whole file cannot be used; nothing from it may be imported."""

    def __init__(
        self,
        message: str,
        *,
        missing_columns: Sequence[str] = (),
        unexpected_columns: Sequence[str] = (),
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.missing_columns = tuple(missing_columns)
        self.unexpected_columns = tuple(unexpected_columns)
        self.row = row
        self.column = column


class PatientIdentifierFound(FileProblem):
    """An ISTV (health) file holds something that could identify a patient.

    Raised as soon as it is seen, so no more of the file is read.
    """


@dataclass
class ReaderResult:
    """What a reader found, complete once its generator is exhausted."""

    kind: str
    rows_read: int = 0
    rows_ok: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    problems_not_shown: int = 0
    #: Facts about the file the caller needs, e.g. ``{"periods": {(force, month)}}``
    #: for police.uk files (to supersede an older file for the same force and
    #: month) or ``{"population_year": 2018}``.
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.problems_not_shown

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


class ProblemLog:
    """Keeps the first ``limit`` problems and counts the rest."""

    def __init__(self, result: ReaderResult, limit: int) -> None:
        self._result = result
        self._limit = limit

    def add(self, row: int | None, column: str | None, message: str) -> None:
        if len(self._result.problems) < self._limit:
            self._result.problems.append(ImportProblem(row, column, message))
        else:
            self._result.problems_not_shown += 1


# --------------------------------------------------------------------------
# Opening and sniffing the upload
# --------------------------------------------------------------------------

FILE_TYPE_NAMES = {
    "csv": "a CSV file",
    "xlsx": "an Excel workbook (.xlsx)",
    "geojson": "a GeoJSON file",
}

# Signatures of common binary files that are not any accepted type: a photo or a
# compressed archive renamed .csv must be refused for what it is, not read as text.
BINARY_SIGNATURES = {
    b"\x89PNG": "an image",
    b"\xff\xd8\xff": "an image",
    b"GIF8": "an image",
    b"\x1f\x8b": "a compressed (gzip) file",
    b"7z\xbc\xaf": "a compressed (7-Zip) file",
    b"Rar!": "a compressed (RAR) file",
}


def _accepted_phrase(file_types: Sequence[str]) -> str:
    names = [FILE_TYPE_NAMES[t] for t in file_types]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def open_binary(source: Source) -> tuple[IO[bytes], Callable[[], None]]:
    """Return a readable binary file and what to call when reading is over.

    Paths are opened (and closed afterwards). Django's ``UploadedFile`` and other
    file objects are left open for their owner; one that cannot seek is wrapped in
    a buffer so its first bytes can be peeked, and the wrapper is detached
    afterwards so it does not close the caller's file when garbage collected.
    """
    if isinstance(source, str | Path):
        handle = open(source, "rb")  # noqa: SIM115 - closed by the cleanup
        return handle, handle.close
    if not hasattr(source, "read"):
        raise TypeError("source must be a path or a binary file object")
    if hasattr(source, "peek") or (hasattr(source, "seekable") and source.seekable()):
        return source, lambda: None
    wrapper = io.BufferedReader(cast(Any, source))

    def detach() -> None:
        wrapper.detach()

    return wrapper, detach


def peek(handle: IO[bytes], size: int = 512) -> bytes:
    if hasattr(handle, "peek"):
        peeked: bytes = handle.peek(size)[:size]  # checked by hasattr just above
        return peeked
    position = handle.tell()
    data = handle.read(size)
    handle.seek(position)
    return data


def sniff(head: bytes) -> str:
    """Guess the real file type from its first bytes, whatever its name says."""
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf16"
    if any(head.startswith(signature) for signature in BINARY_SIGNATURES):
        return "binary"
    if b"\x00" in head:
        return "binary"  # text files (UTF-8 or Windows-1252) never hold NUL bytes
    text = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if text[:1] in (b"{", b"["):
        return "geojson"
    return "csv"


def check_file_type(found: str, accepted: Sequence[str]) -> None:
    """Raise a FileProblem unless the sniffed type is one the kind accepts."""
    if found == "empty":
        raise FileProblem("The selected file is empty")
    if found in accepted:
        return
    wanted = _accepted_phrase(accepted)
    if found == "xls":
        extra = (
            " This is an old-style Excel file (.xls): open it in Excel and save it"
            " as an Excel workbook (.xlsx)"
        )
        if "csv" in accepted:
            extra += " or as CSV UTF-8 (comma delimited)"
        raise FileProblem(f"The selected file must be {wanted}.{extra}.")
    found_names = {
        "xlsx": "an Excel workbook",
        "pdf": "a PDF",
        "geojson": "a JSON file",
        "csv": "a text file",
        "binary": "a binary file such as an image or an archive",
        "utf16": "text saved as Unicode (UTF-16): save it as CSV UTF-8 "
        "(comma delimited) instead",
    }
    raise FileProblem(
        f"The selected file must be {wanted}. It looks like {found_names[found]}."
    )


# --------------------------------------------------------------------------
# Header matching
# --------------------------------------------------------------------------


def normalise_heading(text: object) -> str:
    """Compare headings ignoring case, a byte-order mark and extra spaces."""
    return " ".join(str(text).replace("\ufeff", "").split()).casefold()


@dataclass(frozen=True)
class Column:
    """An expected column: its display name and the headings that match it.

    ``pattern`` (a regular expression, matched case-insensitively against the
    whole normalised heading) lets published files vary slightly between editions,
    for example ``LAD22CD`` or ``LAD23CD``.
    """

    name: str
    required: bool = True
    pattern: str | None = None

    def matches(self, heading: str) -> bool:
        if self.pattern is None:
            return heading == normalise_heading(self.name)
        return re.fullmatch(self.pattern, heading, flags=re.IGNORECASE) is not None


def match_header(
    headings: Sequence[object], columns: Sequence[Column], label: str
) -> dict[str, int]:
    """Map each expected column name to its position, or raise FileProblem.

    The message names every missing and every unexpected column, because a user
    fixing a file wants the whole list at once.
    """
    normalised = [normalise_heading(h) for h in headings]
    # Trailing empty headings come from spreadsheets with stray formatting.
    while normalised and normalised[-1] == "":
        normalised.pop()
    positions: dict[str, int] = {}
    unexpected: list[str] = []
    duplicates: list[str] = []
    for index, heading in enumerate(normalised):
        match = next((c for c in columns if c.matches(heading)), None)
        if match is None:
            unexpected.append(str(headings[index]).replace("\ufeff", "").strip())
        elif match.name in positions:
            duplicates.append(match.name)
        else:
            positions[match.name] = index
    missing = [c.name for c in columns if c.required and c.name not in positions]
    if duplicates:
        raise FileProblem(
            f"The column ‘{duplicates[0]}’ appears more than once. "
            "Each column heading must appear only once."
        )
    if missing or unexpected:
        parts = [f"The column headings are not the ones expected for {label}."]
        if missing:
            parts.append("Missing columns: " + ", ".join(missing) + ".")
        if unexpected:
            shown = ", ".join(u if u else "(blank heading)" for u in unexpected)
            parts.append("Unexpected columns: " + shown + ".")
        raise FileProblem(
            " ".join(parts), missing_columns=missing, unexpected_columns=unexpected
        )
    return positions


# --------------------------------------------------------------------------
# Record iterators (CSV and workbook), yielding (row_number, cells)
# --------------------------------------------------------------------------


def iter_csv(handle: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """Yield (spreadsheet row number, cells) for every record of a UTF-8 CSV."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="strict", newline="")
    reader = csv.reader(text)
    row_number = 0
    try:
        for row_number, cells in enumerate(reader, start=1):  # noqa: B007
            yield row_number, cells
    except UnicodeDecodeError:
        raise FileProblem(
            "The file must be saved as UTF-8. In Excel, choose ‘Save as’ and "
            "‘CSV UTF-8 (comma delimited)’. "
            f"The first character that could not be read is after row {row_number}.",
            row=row_number + 1,
        ) from None
    except csv.Error:
        raise FileProblem(
            f"Row {row_number + 1} could not be read as CSV. Check the file is a "
            "comma-separated text file and that quotation marks are paired.",
            row=row_number + 1,
        ) from None
    finally:
        # Leave the caller's file open: a garbage-collected wrapper closes it.
        # (ValueError: already closed by whoever owns it.)
        with contextlib.suppress(ValueError):
            text.detach()


def _open_workbook(handle: IO[bytes]) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(handle)
    except Exception:
        raise FileProblem(
            "The selected file could not be opened as an Excel workbook (.xlsx). "
            "It may be damaged or protected with a password."
        ) from None


def find_sheet_and_header(
    handle: IO[bytes],
    columns: Sequence[Column],
    label: str,
    *,
    preferred_sheets: Sequence[str] = (),
) -> tuple[str, int, list[Any], Iterator[tuple[int, list[Any]]], dict[str, int]]:
    """Find the sheet and header row holding ``columns`` in a workbook.

    Published workbooks put notes sheets first and titles above the header (the
    ONS SAPE tables have their header on row 5), so every sheet's first
    ``HEADER_SEARCH_ROWS`` rows are searched; ``preferred_sheets`` are tried
    first. Returns the sheet name, header row number, the header cells, an
    iterator over the remaining (row number, cells) and the column positions.
    """
    workbook = _open_workbook(handle)
    names = list(workbook.sheet_names)
    order = [n for n in preferred_sheets if n in names]
    order += [n for n in names if n not in order]
    best: tuple[int, list[Any]] | None = None
    for name in order:
        sheet = workbook.get_sheet_by_name(name)
        start = sheet.start
        first_row = (start[0] if start else 0) + 1
        rows = iter(sheet.iter_rows())
        for offset in range(HEADER_SEARCH_ROWS):
            cells = next(rows, None)
            if cells is None:
                break
            headings = [normalise_heading(c) for c in cells]
            found = sum(
                1 for c in columns if c.required and any(c.matches(h) for h in headings)
            )
            if best is None or found > best[0]:
                best = (found, list(cells))
            if found == sum(1 for c in columns if c.required):
                positions = match_header_lenient(cells, columns, label)
                header_row = first_row + offset

                remaining = enumerate(rows, start=header_row + 1)
                return name, header_row, list(cells), remaining, positions
    # Report against the closest-looking row so the message is useful.
    match_header(best[1] if best else [], columns, label)
    raise FileProblem(f"No sheet in the workbook has the columns for {label}.")


def match_header_lenient(
    headings: Sequence[object], columns: Sequence[Column], label: str
) -> dict[str, int]:
    """Like match_header but ignore extra columns (published workbooks add some).

    Workbooks are only accepted for published reference data, where columns we
    do not use (such as "Area Sq Km") are expected and harmless.
    """
    positions: dict[str, int] = {}
    for index, heading in enumerate(headings):
        normalised = normalise_heading(heading)
        for column in columns:
            if column.name not in positions and column.matches(normalised):
                positions[column.name] = index
                break
    missing = [c.name for c in columns if c.required and c.name not in positions]
    if missing:
        raise FileProblem(
            f"The column headings are not the ones expected for {label}. "
            "Missing columns: " + ", ".join(missing) + ".",
            missing_columns=missing,
        )
    return positions


# --------------------------------------------------------------------------
# The reader base classes
# --------------------------------------------------------------------------


def is_blank_row(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


class Reader(ABC):
    """Base class: subclasses set the class attributes and implement ``_rows``."""

    kind: ClassVar[str]
    label: ClassVar[str]
    file_types: ClassVar[tuple[str, ...]]
    output_columns: ClassVar[tuple[str, ...]]

    def __init__(
        self,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_problems: int = DEFAULT_MAX_PROBLEMS,
    ) -> None:
        if batch_size < 1 or max_problems < 0:
            raise ValueError("batch_size must be positive, max_problems >= 0")
        self.batch_size = batch_size
        self.max_problems = max_problems
        self.result = ReaderResult(kind=self.kind)
        self.problems = ProblemLog(self.result, max_problems)

    def read(self, source: Source) -> Iterator[Batch]:
        """Yield batches of normalised rows; see the module docstring."""
        self.result = ReaderResult(kind=self.kind)
        self.problems = ProblemLog(self.result, self.max_problems)
        handle, cleanup = open_binary(source)
        try:
            file_type = sniff(peek(handle))
            check_file_type(file_type, self.file_types)
            batch: Batch = []
            rows = self._rows(handle, file_type)
            try:
                for row in rows:
                    batch.append(row)
                    if len(batch) >= self.batch_size:
                        self.result.rows_ok += len(batch)
                        yield batch
                        batch = []
            finally:
                # Close the row generator (and any text wrapper it holds)
                # before the file itself, also when the caller stops early.
                # Every _rows is a generator, so it has close().
                rows.close()  # type: ignore[attr-defined]
            if batch:
                self.result.rows_ok += len(batch)
                yield batch
            if self.result.rows_read == 0:
                raise FileProblem("The selected file has no data rows")
            self._finish()
        finally:
            cleanup()

    def read_all(self, source: Source) -> Batch:
        """Read a small file into one list (reference data and tests only)."""
        rows: Batch = []
        for batch in self.read(source):
            rows.extend(batch)
        return rows

    @abstractmethod
    def _rows(self, handle: IO[bytes], file_type: str) -> Iterator[tuple[Any, ...]]:
        """Yield the file's normalised rows; each kind of file says how."""

    def _finish(self) -> None:  # noqa: B027 - an optional hook, most readers need none
        """Hook for whole-file checks once every row has been seen."""


RowConverter = Callable[[int, Sequence[Any]], tuple[Any, ...] | None]


class TabularReader(Reader):
    """A reader for CSV (and optionally workbook) files with a header row.

    Subclasses declare ``columns`` and implement ``convert(row_number, cells)``
    which returns the output tuple, or None after logging problems. ``self.pos``
    maps column names to cell positions.
    """

    columns: ClassVar[tuple[Column, ...]]
    preferred_sheets: ClassVar[tuple[str, ...]] = ()
    #: For CSV templates we define, unexpected columns are an error; published
    #: workbooks may carry extra columns that we ignore.
    strict_csv_columns: ClassVar[bool] = True

    pos: dict[str, int]
    _headings: list[Any]
    _file_type: str

    def _rows(self, handle: IO[bytes], file_type: str) -> Iterator[tuple[Any, ...]]:
        records: Iterable[tuple[int, Sequence[Any]]]
        self._file_type = file_type
        if file_type == "xlsx":
            sheet, _, self._headings, records, self.pos = find_sheet_and_header(
                handle,
                self.columns,
                self.label,
                preferred_sheets=self.preferred_sheets,
            )
            self.result.facts["sheet"] = sheet
            width = None
        else:
            csv_records = iter_csv(handle)
            first = next(csv_records, None)
            if first is None:
                raise FileProblem("The selected file is empty")
            header = first[1]
            self._headings = list(header)
            self._check_headings(header)
            if self.strict_csv_columns:
                self.pos = match_header(header, self.columns, self.label)
            else:
                self.pos = match_header_lenient(header, self.columns, self.label)
            width = len(header)
            while width and not header[width - 1].strip():
                width -= 1
            records = csv_records
        self._start()
        for row_number, cells in records:
            if is_blank_row(cells):
                continue
            self.result.rows_read += 1
            if width is not None and len(cells) != width:
                # Trailing empty cells are harmless (spreadsheet exports add them).
                if len(cells) > width and is_blank_row(cells[width:]):
                    cells = cells[:width]
                elif len(cells) < width:
                    self.problems.add(
                        row_number,
                        None,
                        f"This row has {len(cells)} values but the header has "
                        f"{width} columns. Check for missing commas.",
                    )
                    continue
                else:
                    self.problems.add(
                        row_number,
                        None,
                        f"This row has {len(cells)} values but the header has "
                        f"{width} columns. Put any value containing a comma in "
                        "double quotation marks.",
                    )
                    continue
            row = self.convert(row_number, cells)
            if row is not None:
                yield row

    def _check_headings(self, headings: Sequence[str]) -> None:
        """Hook run on a CSV's raw headings before they are matched."""

    def _start(self) -> None:
        """Hook run once the header is known, before the first row."""

    def cell(self, cells: Sequence[Any], name: str) -> Any:
        """The cell for a column, stripped if text; '' for absent optional ones."""
        index = self.pos.get(name)
        if index is None or index >= len(cells):
            return ""
        value = cells[index]
        if value is None:
            return ""
        if isinstance(value, str):
            return value.strip()
        return value

    @abstractmethod
    def convert(self, row_number: int, cells: Sequence[Any]) -> tuple[Any, ...] | None:
        """Turn one row's cells into the kind's columns, or None (problems logged)."""
