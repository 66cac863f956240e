"""The digest a sign-off binds to: the exact content of a strategy version and the
local definition it is published under.

The same text is built twice: here in Python (when a sign-off is recorded and when the
action publishes) and in SQL (`DIGEST_SQL`, run by the database trigger that refuses a
publication whose sign-offs are for other content). Both must give the same bytes, so
the format is deliberately plain: fields joined by the ASCII unit separator, records by
the record separator, dates as ISO 8601, booleans as t/f.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Protocol

UNIT = "\x1f"
RECORD = "\x1e"


class _Section(Protocol):
    kind: str
    heading: str
    body: str
    publishable: bool


def canonical_text(
    *,
    title: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    definition_id: int | None,
    sections: Iterable[_Section],
) -> str:
    header = UNIT.join(
        [
            title,
            period_start.isoformat() if period_start else "",
            period_end.isoformat() if period_end else "",
            str(definition_id) if definition_id is not None else "",
        ]
    )
    records = [
        UNIT.join([s.kind, s.heading, s.body, "t" if s.publishable else "f"])
        for s in sections
    ]
    return RECORD.join([header, *records])


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_digest(version, definition_id: int | None) -> str:
    """The SHA-256 of `version`'s content as it is now, under the given definition."""
    return digest_of(
        canonical_text(
            title=version.title,
            period_start=version.period_start,
            period_end=version.period_end,
            definition_id=definition_id,
            sections=version.sections.order_by("order", "pk"),
        )
    )


#: The same digest in PL/pgSQL, for the row NEW of strategy_strategyversion.
DIGEST_SQL = """
    encode(sha256(convert_to(concat_ws(chr(30),
        concat_ws(chr(31), NEW.title,
            coalesce(to_char(NEW.period_start, 'YYYY-MM-DD'), ''),
            coalesce(to_char(NEW.period_end, 'YYYY-MM-DD'), ''),
            coalesce(NEW.definition_id::text, '')),
        (SELECT string_agg(concat_ws(chr(31), s.kind, s.heading, s.body,
                    CASE WHEN s.publishable THEN 't' ELSE 'f' END),
                chr(30) ORDER BY s."order", s.id)
         FROM strategy_strategysection s WHERE s.strategy_version_id = NEW.id)
    ), 'UTF8')), 'hex')
"""
