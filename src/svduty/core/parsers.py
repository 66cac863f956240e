"""The API's JSON parser refuses NUL characters, which PostgreSQL cannot store or
compare (they were a 500 in any text field); the client gets a 400 problem instead."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        data = super().parse(stream, media_type, parser_context)
        if _contains_nul(data):
            raise ParseError("Text may not contain a NUL character (\\u0000).")
        return data
