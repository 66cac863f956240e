"""The fast paths' byte checks (``police_street._check_piece``) decline every piece
on which PostgreSQL or polars could read lines differently from Python's ``csv``
module; the quicker forms of the checks (issue 15) must decline exactly as the
plain ``bytes.count`` forms did."""

from __future__ import annotations

import pytest

from svduty.sharing.fastpath.police_street import (
    Declined,
    _check_piece,
    _lone_carriage_return,
)
from svduty.sharing.fastpath.single_write import _lines, _separators

LINE = b"c1,2022-01,Cleveland Police,-1.2,54.5,On or near X\r\n"


@pytest.mark.parametrize(
    "piece",
    [
        b"\ra,b\r\n",  # at the start
        b"a,b\rc\r\n",  # inside a line
        b"a,b\r\r\n",  # before a CR LF
        b"a,b\r\n" * 3 + b"a,b\r",  # the last byte
        b"a,b\n\r",  # after a line feed
    ],
)
def test_a_carriage_return_without_a_line_feed_declines(piece):
    assert _lone_carriage_return(piece)
    assert piece.count(b"\r") != piece.count(b"\r\n")  # the check it replaces
    with pytest.raises(Declined, match="carriage return"):
        _check_piece(piece)


@pytest.mark.parametrize("piece", [LINE * 50, LINE.replace(b"\r\n", b"\n") * 50, b""])
def test_line_ends_of_either_kind_pass(piece):
    assert not _lone_carriage_return(piece)
    _check_piece(piece)


@pytest.mark.parametrize("odd", [b"\\.", b"\t", b"\x00", b"\x0b", b"\x1f"])
def test_odd_bytes_decline_wherever_they_are(odd):
    for piece in (odd + LINE, LINE + b"x" + odd + b"y\r\n" + LINE):
        with pytest.raises(Declined, match="contains"):
            _check_piece(piece)


def test_a_backslash_alone_is_not_the_end_of_data_marker():
    _check_piece(b"c1,On or near A\\B\r\n" + LINE)


def test_counts_match_bytes_count():
    piece = LINE * 7 + b'c2,"On or near A, B",x\r\n' + b"last,line"
    assert _lines(piece) == piece.count(b"\n") + 1
    assert _separators(piece) == piece.count(b",") - 1
