"""The single-write path's binary COPY sends the values the reader stores (issue 15).

Coordinates are converted by polars, not by Python's ``float`` or PostgreSQL's
``float8in`` as before, so its conversion must give the same double for every
string the reader's number pattern accepts; and the binary encoding of each type
must be PostgreSQL's.
"""

from __future__ import annotations

import datetime as dt
import random
import struct

import polars as pl
import pytest

from svduty.sharing.fastpath import single_write
from svduty.sharing.readers import values as v

pgpq = pytest.importorskip("pgpq")


def _coordinates() -> list[str]:
    rng = random.Random(15)
    out = ["0", "-0", "+54.", ".5", "-1.5", "180", "-180.000", "90", "00012.3400"]
    out += ["0.1", "0.2", "0.3", "1.0000000000000002", "2.2250738585072014"]
    for _ in range(20_000):
        digits = rng.randint(1, 30)
        whole = rng.randint(0, 179)
        fraction = "".join(rng.choice("0123456789") for _ in range(digits))
        sign = rng.choice(["", "-", "+"])
        out.append(f"{sign}{whole}.{fraction}")
    return [s for s in out if v.NUMBER.match(s) and len(s) <= 40]


def test_polars_reads_every_coordinate_as_pythons_float_does():
    texts = _coordinates()
    assert len(texts) > 10_000
    converted = pl.Series(texts).cast(pl.Float64, strict=False).to_list()
    wrong = [
        (t, c)
        for t, c in zip(texts, converted, strict=True)
        if c is None or struct.pack(">d", c) != struct.pack(">d", float(t))
    ]
    assert wrong == []


def _fields(data: bytes, columns: int) -> list[list[bytes | None]]:
    """Rows of PostgreSQL's binary COPY format, each field's raw bytes."""
    assert data.startswith(b"PGCOPY\n\xff\r\n\x00")
    position = 11 + 4 + 4  # signature, flags, header extension length
    rows = []
    while True:
        (count,) = struct.unpack_from(">h", data, position)
        position += 2
        if count == -1:
            break
        assert count == columns
        row: list[bytes | None] = []
        for _ in range(count):
            (size,) = struct.unpack_from(">i", data, position)
            position += 4
            if size == -1:
                row.append(None)
            else:
                row.append(data[position : position + size])
                position += size
        rows.append(row)
    assert position == len(data)
    return rows


def test_binary_encoding_is_postgresqls_for_each_type():
    columns = ["month", "longitude", "falls_within", "context"]
    schema = single_write.arrow_schema(columns)
    frame = pl.DataFrame(
        {
            "month": [dt.date(2000, 1, 1), dt.date(2022, 11, 1), dt.date(1999, 12, 1)],
            "longitude": [-1.241465, None, 0.0],
            "falls_within": ["Cleveland Police", "Durham Constabulary", "Ü"],
            "context": [None, "", "x"],
        },
        schema={
            "month": pl.Date,
            "longitude": pl.Float64,
            "falls_within": pl.String,
            "context": pl.String,
        },
    )
    encoder = pgpq.ArrowToPostgresBinaryEncoder(schema)
    fast = single_write.PoliceStreetSingleWrite.__new__(
        single_write.PoliceStreetSingleWrite
    )
    data = encoder.write_header() + fast._encoded(frame, encoder, schema)
    data += encoder.finish()
    rows = _fields(data, len(columns))
    # date: days since 2000-01-01, int32; float8: IEEE big-endian; text: UTF-8.
    assert [r[0] for r in rows] == [
        struct.pack(">i", 0),
        struct.pack(">i", (dt.date(2022, 11, 1) - dt.date(2000, 1, 1)).days),
        struct.pack(">i", -31),
    ]
    assert [r[1] for r in rows] == [struct.pack(">d", -1.241465), None, bytes(8)]
    assert [r[2] for r in rows] == [
        b"Cleveland Police",
        b"Durham Constabulary",
        "Ü".encode(),
    ]
    assert [r[3] for r in rows] == [None, b"", b"x"]


def test_a_batch_of_other_types_declines():
    schema = single_write.arrow_schema(["month"])
    encoder = pgpq.ArrowToPostgresBinaryEncoder(schema)
    fast = single_write.PoliceStreetSingleWrite.__new__(
        single_write.PoliceStreetSingleWrite
    )
    with pytest.raises(single_write.Declined):
        fast._encoded(pl.DataFrame({"month": ["2022-01"]}), encoder, schema)
