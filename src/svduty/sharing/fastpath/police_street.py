"""The data.police.uk street-level crime fast path: raw ``COPY``, then set-based SQL.

Why: checking a million rows one by one in Python took 6× as long as PostgreSQL's
own ``COPY`` of the file (``benchmarks/bench_import.py``). Here Python never looks
at a row:

1. The header is read and matched by the Python reader's own code
   (``iter_csv``, ``match_header``).
2. The raw bytes go to PostgreSQL with ``COPY … (FORMAT csv)`` into an UNLOGGED
   staging table of text columns, one ``COPY`` per ~8 MB so progress (rows so far)
   can be saved between them. On the way, each 1 MB chunk is checked for anything
   on which PostgreSQL's CSV parsing or trimming could differ from Python's
   ``csv`` module and ``str.strip()`` (see :func:`_check_piece`).
3. Month, force and crime type have few distinct values in a file, and so do LSOA
   codes: they are validated *per distinct value* with the reader's own
   validators (``values.month``, ``values.lsoa_code``, the 14 crime types), so the
   rules and the normalised values are the reader's by construction.
4. Coordinates are checked per row in SQL, strictly (ASCII digits only, the
   reader's number pattern, in range), inside the ``INSERT … SELECT`` that writes
   the real table, in the publishing transaction. If the insert writes fewer rows
   than were copied, some row failed a check: the transaction is rolled back.

Whenever anything is not certainly clean — a bad or unusual value, a ``COPY``
error (wrong number of columns, invalid UTF-8, a blank line), odd quoting,
unusual white space — the fast path raises :class:`Declined` before anything is
published, and the caller imports the file with the Python reader, which finds
and words the problems exactly as before. Being stricter than the reader can
only cost time; it can never let a bad row in.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from django.db import DatabaseError, connection, transaction
from psycopg import sql

from svduty.sharing.partitions import (
    attach_partition,
    create_partition,
    partition_name,
)
from svduty.sharing.readers import values as v
from svduty.sharing.readers.base import (
    FileProblem,
    iter_csv,
    match_header,
    peek,
    sniff,
)
from svduty.sharing.readers.police import POLICE_UK_CRIME_TYPES, PoliceStreetReader

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
#: One COPY statement per this many bytes; progress is saved between them.
COPY_PIECE = 8 * CHUNK
#: A line longer than this declines (the ``csv`` module refuses fields over
#: 131,072 characters, and police.uk lines are about 220 bytes).
MAX_LINE = 64 * 1024
#: More distinct (month, force, crime type) or LSOA values than this declines.
MAX_DISTINCT = 100_000
#: Coordinates longer than this decline (so the cast can never overflow).
MAX_NUMBER_LENGTH = 40

CRIME_TYPES = {t.casefold(): t for t in POLICE_UK_CRIME_TYPES}

#: Everything ``str.strip()`` removes. The fast path trims with ``btrim(x)``
#: (spaces only), so any other white space in the file declines.
_PY_WHITESPACE = "".join(chr(i) for i in range(0x110000) if chr(i).isspace())
_ODD_ASCII = tuple(
    ch.encode() for ch in _PY_WHITESPACE if ord(ch) < 128 and ch not in " \r\n"
) + (
    b"\x00",  # PostgreSQL refuses NUL; csv refuses it too
    b"\\.",  # COPY's end-of-data marker
)
_ODD_UNICODE = re.compile(
    b"|".join(re.escape(ch.encode()) for ch in _PY_WHITESPACE if ord(ch) >= 128)
)
#: A line of standard CSV: every quoted field opens at the start of the field and
#: closes at its end, and no field spans lines. Only lines with a quote are tested.
_QUOTED_LINE = re.compile(
    rb'(?:"(?:[^"\r\n]|"")*"|[^,"\r\n]*)(?:,(?:"(?:[^"\r\n]|"")*"|[^,"\r\n]*))*\r?'
)
_NUMBER = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"

#: A column of the staging table (``c0``, ``c1``… in the file's order) for a heading.
Column = Callable[[str], sql.Identifier]


class Declined(Exception):
    """The fast path cannot be sure; run the Python reader instead."""


def _check_piece(piece: bytes) -> None:
    """Decline unless PostgreSQL and the Python reader would read these lines alike.

    ``piece`` is whole lines. Checks: no white space but spaces, CR LF and LF (so
    ``btrim`` equals ``str.strip``); CR only before LF; valid UTF-8; no NUL or
    ``\\.``; no line over ``MAX_LINE`` bytes; quotes only in standard CSV form.
    """
    for odd in _ODD_ASCII:
        # (A two-byte search is slow where its first byte is common: look for a
        # lone byte first, which is fast.)
        if odd[:1] in piece and odd in piece:
            raise Declined(f"the file contains {odd!r}")
    if _lone_carriage_return(piece):
        raise Declined("a carriage return not followed by a line feed")
    if not piece.isascii():
        if _ODD_UNICODE.search(piece):
            raise Declined("Unicode white space")
        try:
            piece.decode("utf-8")
        except UnicodeDecodeError:
            raise Declined("not UTF-8") from None
    _check_line_lengths(piece)
    if b'"' in piece:
        for line in piece.split(b"\n"):
            if b'"' in line and not _QUOTED_LINE.fullmatch(line):
                raise Declined("quotation marks other than standard CSV quoting")


def _lone_carriage_return(piece: bytes) -> bool:
    """Is there a CR not followed by LF? (numpy: three times as fast as counting
    CR and CR LF with ``bytes.count``, and without the GIL.)"""
    if b"\r" not in piece:
        return False
    data = np.frombuffer(piece, np.uint8)
    at = np.flatnonzero(data == 13)
    return bool(at[-1] == len(data) - 1 or (data[at + 1] != 10).any())


def read_pieces(path: Path, size: int = COPY_PIECE) -> Iterator[list[bytes]]:
    """The file as lists of whole-line pieces of about ``size`` bytes, each piece
    checked by :func:`_check_piece` (raises Declined)."""
    carry = b""
    with open(path, "rb") as handle:
        eof = False
        while not eof:
            pieces: list[bytes] = []
            total = 0
            while total < size:
                chunk = handle.read(min(CHUNK, size))
                if not chunk:
                    eof = True
                    if carry:
                        pieces.append(carry)
                        total += len(carry)
                        carry = b""
                    break
                data = carry + chunk if carry else chunk
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    if len(data) > MAX_LINE:
                        raise Declined("a line longer than 64 KB")
                    carry = data
                    continue
                carry = data[cut:]
                if len(carry) > MAX_LINE:
                    raise Declined("a line longer than 64 KB")
                piece = data[:cut] if cut < len(data) else data
                pieces.append(piece)
                total += len(piece)
            if not pieces:
                break
            for piece in pieces:
                _check_piece(piece)
            yield pieces


def _check_line_lengths(piece: bytes) -> None:
    start = 0
    end = len(piece)
    while end - start > MAX_LINE:
        last = piece.rfind(b"\n", start, start + MAX_LINE + 1)
        if last == -1:
            raise Declined("a line longer than 64 KB")
        start = last + 1


def delete_replaced(
    cursor, table: str, batch: Any, periods: list[tuple[str, dt.date]]
) -> dict[int, int]:
    """Delete the rows of the same force and month as ``periods``; rows per batch.

    The older batches that can hold such rows are picked first from their
    ``periods``, so only their partitions are read (the table is partitioned by
    ``batch_id``: docs/adr/0008). Call under the publishing lock.
    """
    from svduty.sharing.models import ImportBatch

    candidates = ImportBatch.objects.street_batches_covering(
        batch.partnership_id, periods, exclude=batch.pk
    )
    if not candidates:
        return {}
    cursor.execute(
        sql.SQL(
            "WITH gone AS (DELETE FROM {} t "
            "WHERE t.batch_id = ANY(%s) AND t.partnership_id = %s "
            "AND (t.falls_within, t.month) IN "
            "(SELECT * FROM unnest(%s::text[], %s::date[])) "
            "RETURNING t.batch_id) "
            "SELECT batch_id, count(*) FROM gone GROUP BY batch_id"
        ).format(sql.Identifier(table)),
        [
            candidates,
            batch.partnership_id,
            [p[0] for p in periods],
            [p[1] for p in periods],
        ],
    )
    return dict(cursor.fetchall())


class PoliceStreetFastPath:
    """Import one police.uk street-level file for ``batch``, or raise Declined."""

    def __init__(
        self,
        batch: Any,
        path: Path,
        target: Any,
        *,
        progress: Callable[[int], None],
    ) -> None:
        self.batch = batch
        self.path = Path(path)
        self.target = target
        self.progress = progress
        self.stage = f"sharing_fast_{batch.pk}_{uuid.uuid4().hex[:8]}"

    # --- 1. header -----------------------------------------------------------------

    def _header(self) -> dict[str, int]:
        reader = PoliceStreetReader
        with open(self.path, "rb") as handle:
            if sniff(peek(handle)) != "csv":
                raise Declined("not a CSV file")
            try:
                first = next(iter_csv(handle), None)
                if first is None:
                    raise Declined("empty file")
                header = first[1]
                positions = match_header(header, reader.columns, reader.label)
            except FileProblem as problem:
                raise Declined(problem.message) from None
        if len(header) != len(reader.columns):
            raise Declined("extra blank headings")
        return positions

    # --- 2. COPY ---------------------------------------------------------------------

    def _copy(self, width: int) -> int:
        names = sql.SQL(", ").join(sql.Identifier(f"c{i}") for i in range(width))
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL(
                    "CREATE UNLOGGED TABLE {} ({}) WITH (autovacuum_enabled = false)"
                ).format(
                    sql.Identifier(self.stage),
                    sql.SQL(", ").join(
                        sql.SQL("{} text").format(sql.Identifier(f"c{i}"))
                        for i in range(width)
                    ),
                )
            )
        rows = 0
        first = True
        for pieces in read_pieces(self.path):
            rows += self._copy_pieces(pieces, names, header=first)
            first = False
            self.progress(rows)
        return rows

    def _copy_pieces(
        self, pieces: list[bytes], names: sql.Composed, *, header: bool
    ) -> int:
        statement = sql.SQL(
            "COPY {stage} ({names}) FROM STDIN (FORMAT csv, "
            "HEADER {header}, FORCE_NOT_NULL ({names}))"
        ).format(
            stage=sql.Identifier(self.stage),
            names=names,
            header=sql.SQL("true" if header else "false"),
        )
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                with cursor.cursor.copy(statement) as copy:
                    for piece in pieces:
                        copy.write(piece)
                return cursor.cursor.rowcount
        except (DatabaseError, psycopg.Error) as error:
            # The raw psycopg cursor raises psycopg's own errors.
            raise Declined(f"COPY refused the file: {error}".splitlines()[0]) from None

    # --- 3. distinct values ----------------------------------------------------------

    def _distinct(self, query: sql.Composed) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("{} LIMIT {}").format(query, sql.Literal(MAX_DISTINCT + 1))
            )
            found = cursor.fetchall()
        if len(found) > MAX_DISTINCT:
            raise Declined("too many distinct values to check one by one")
        return found

    def _groups(self, col: Column) -> tuple[set[tuple[str, dt.date]], dict[str, str]]:
        """(month, force, crime type) as written, checked by the reader's rules."""
        found = self._distinct(
            sql.SQL("SELECT {}, {}, {} FROM {} GROUP BY 1, 2, 3").format(
                col("Month"),
                col("Falls within"),
                col("Crime type"),
                sql.Identifier(self.stage),
            )
        )
        periods: set[tuple[str, dt.date]] = set()
        types: dict[str, str] = {}
        for raw_month, raw_falls, raw_type in found:
            try:
                month = v.month(raw_month.strip())
            except v.BadValue:
                raise Declined("a month is wrong") from None
            falls = raw_falls.strip()
            crime_type = CRIME_TYPES.get(raw_type.strip().casefold())
            if not falls or crime_type is None:
                raise Declined("a force or crime type is wrong")
            # SQL converts month and force itself (a cast and btrim), which for
            # ASCII text gives exactly what the reader gives.
            if not raw_month.isascii():
                raise Declined("a month is not plain ASCII")
            periods.add((falls, month))
            types[raw_type] = crime_type
        return periods, types

    def _lsoas(self, col: Column) -> dict[str, list[Any]]:
        found = self._distinct(
            sql.SQL("SELECT {}, count(*) FROM {} GROUP BY 1").format(
                col("LSOA code"), sql.Identifier(self.stage)
            )
        )
        lsoas: dict[str, list[Any]] = {"code": [], "n": []}
        for raw, count in found:
            try:
                code = v.lsoa_code(raw.strip(), required=False)
            except v.BadValue:
                raise Declined("an LSOA code is wrong") from None
            # SQL writes upper(NULLIF(btrim(raw), '')): the same for ASCII text.
            if not raw.isascii():
                raise Declined("an LSOA code is not plain ASCII")
            lsoas["code"].append(code)
            lsoas["n"].append(count)
        return lsoas

    # --- 4. publish ------------------------------------------------------------------

    def _insert_sql(self, col: Column, crime_types: dict[str, str]) -> sql.Composed:
        # Crime types as written -> as stored, every one checked by the reader's
        # rule (so each is a police.uk type name, give or take case and spaces).
        # They are quoted as literals by psycopg (no NUL can reach here: see
        # _check_piece).
        types = sql.SQL(" ").join(
            sql.SQL("WHEN {} THEN {}").format(sql.Literal(raw), sql.Literal(name))
            for raw, name in crime_types.items()
        )

        def s(name: str) -> sql.Composed:
            return sql.SQL("s.{}").format(col(name))

        def text(name: str) -> sql.Composed:
            return sql.SQL("NULLIF(btrim({}), '')").format(s(name))

        lon = sql.SQL("btrim({})").format(s("Longitude"))
        lat = sql.SQL("btrim({})").format(s("Latitude"))
        expressions: dict[str, sql.Composable] = {
            "crime_id": text("Crime ID"),
            "month": sql.SQL("(btrim({}) || '-01')::date").format(s("Month")),
            "reported_by": text("Reported by"),
            "falls_within": sql.SQL("btrim({})").format(s("Falls within")),
            "longitude": sql.SQL("NULLIF({}, '')::float8").format(lon),
            "latitude": sql.SQL("NULLIF({}, '')::float8").format(lat),
            "location": text("Location"),
            "lsoa_code": sql.SQL("upper({})").format(text("LSOA code")),
            "lsoa_name": text("LSOA name"),
            "crime_type": sql.SQL("CASE {} {} END").format(s("Crime type"), types),
            "last_outcome": text("Last outcome category"),
            "context": text("Context"),
        }
        if set(expressions) != set(self.target.columns):
            raise Declined("the table's columns have changed")
        return sql.SQL(
            """
            INSERT INTO {table} (partnership_id, batch_id, {columns})
            SELECT %(partnership)s, %(batch)s, {select}
              FROM {stage} s
             WHERE CASE
                   WHEN {lon} = '' AND {lat} = '' THEN true
                   WHEN octet_length({lon}) <= {n} AND octet_length({lat}) <= {n}
                    AND {lon} ~ {number} AND {lat} ~ {number}
                   THEN {lon}::float8 BETWEEN -180 AND 180
                    AND {lat}::float8 BETWEEN -90 AND 90
                   ELSE false END
        """
        ).format(
            # The batch's own partition (docs/adr/0008), attached after.
            table=sql.Identifier(partition_name(self.batch.pk)),
            columns=sql.SQL(", ").join(map(sql.Identifier, self.target.columns)),
            select=sql.SQL(", ").join(expressions[c] for c in self.target.columns),
            stage=sql.Identifier(self.stage),
            lon=lon,
            lat=lat,
            n=sql.Literal(MAX_NUMBER_LENGTH),
            number=sql.Literal(_NUMBER),
        )

    def run(
        self, publish: Callable[..., None], area_sql: sql.Composable | None
    ) -> None:
        """Stage, check and publish through ``publish(rows, facts, write)``.

        ``area_sql`` selects the partnership's LSOA codes (parameter ``p``), or is
        None when rows outside the area are not counted."""
        positions = self._header()

        def col(name: str) -> sql.Identifier:
            return sql.Identifier(f"c{positions[name]}")

        try:
            rows = self._copy(len(positions))
            if rows == 0:
                raise Declined("no data rows")
            found_periods, crime_types = self._groups(col)
            lsoas = self._lsoas(col)
            insert = self._insert_sql(col, crime_types)
            periods = sorted(found_periods)
            partnership_id = self.batch.partnership_id

            def write(cursor) -> tuple[dict[int, int], int | None, int]:
                replaced = delete_replaced(
                    cursor, self.target.table, self.batch, periods
                )
                try:
                    with transaction.atomic():
                        create_partition(cursor, self.batch.pk)
                        cursor.execute(
                            insert,
                            {"partnership": partnership_id, "batch": self.batch.pk},
                        )
                        written = cursor.rowcount
                        if written != rows:
                            raise Declined(f"{rows - written:,} rows failed a check")
                        attach_partition(cursor, self.batch.pk)
                except DatabaseError as error:
                    raise Declined(
                        f"the database refused a value: {error}".splitlines()[0]
                    ) from None
                outside = None
                if area_sql is not None:
                    cursor.execute(
                        sql.SQL(
                            "SELECT coalesce(sum(s.n), 0) FROM unnest("
                            "%(codes)s::text[], %(counts)s::bigint[]) "
                            "AS s (lsoa_code, n) WHERE s.lsoa_code IS NOT NULL "
                            "AND s.lsoa_code NOT IN ({})"
                        ).format(area_sql),
                        {
                            "codes": lsoas["code"],
                            "counts": lsoas["n"],
                            "p": partnership_id,
                        },
                    )
                    outside = int(cursor.fetchone()[0])
                return replaced, outside, rows

            facts: dict[str, Any] = {"periods": set(periods)}
            publish(rows, facts, write)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(
                    sql.SQL("DROP TABLE IF EXISTS {}").format(
                        sql.Identifier(self.stage)
                    )
                )
