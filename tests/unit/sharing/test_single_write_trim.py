"""The single-write path trims only what needs trimming (issue 15, import speed):
skipping the trim must never change a value the reader would have trimmed."""

from __future__ import annotations

import polars as pl

from svduty.sharing.fastpath.single_write import _trimmed


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
