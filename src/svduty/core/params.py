"""Reading ids and page numbers from query strings and request bodies.

`str.isdigit()` accepts characters such as "²" that `int()` refuses, and `int()` takes
numbers far beyond PostgreSQL's bigint: both turned a hand-edited address into a 500.
These helpers accept plain ASCII digits within range, and nothing else.
"""

from __future__ import annotations

import re

BIGINT_MAX = 2**63 - 1
# A page number past any real list: the page helpers then show the last page.
PAGE_MAX = 1_000_000
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value: object) -> int | None:
    """A database id (1 to bigint's maximum) from a string or int, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= BIGINT_MAX else None


def parse_page(value: object) -> int:
    """A page number from 1 to PAGE_MAX; anything else is page 1 (or PAGE_MAX)."""
    if isinstance(value, str) and _ASCII_DIGITS.fullmatch(value.strip() or "x"):
        return min(max(1, int(value.strip())), PAGE_MAX)
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):
        return PAGE_MAX  # more digits than any page
    return 1
