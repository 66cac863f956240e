"""The single-write path trims only what needs trimming (issue 15, import speed):
skipping the trim must never change a value the reader would have trimmed."""

from __future__ import annotations

import polars as pl
import pytest

from svduty.sharing.fastpath.single_write import _padded, _trimmed


@pytest.mark.parametrize(
    "data",
    [
        b"a,b ,c\n",  # trailing space before a separator
        b"a, b,c\n",  # leading space after a separator
        b" a,b,c\n",  # leading space at the start of the piece
        b"a,b,c \n",  # trailing space before a line feed
        b"a,b,c \r\n",  # trailing space before CR LF
        b"a,b,c\n d,e,f\n",  # leading space at the start of a line
        b'a," b",c\n',  # leading space inside quotes
        b'a,"b ",c\n',  # trailing space inside quotes
        b"a,b,c ",  # trailing space at the end of the piece
        b"a,   ,c\n",  # a field of spaces only
    ],
)
def test_any_field_with_an_edge_space_is_found(data):
    assert _padded(data)


def test_inner_spaces_alone_need_no_trim():
    assert not _padded(b"On or near High Street,Violence and sexual offences\n")


def test_trimming_only_the_padded_columns_equals_trimming_every_column():
    frame = pl.DataFrame(
        {
            "Location": ["On or near ", "On or near Park", "   "],
            "Crime type": ["Drugs", "Robbery", "Drugs"],
            "Context": ["", " x", "y "],
        }
    )
    expected = frame.select(pl.all().str.strip_chars(" "))
    assert _trimmed(frame).equals(expected)
    clean = pl.DataFrame({"Location": ["On or near Park"], "Crime type": ["Drugs"]})
    assert _trimmed(clean) is clean
