"""The rules the Duty sets before a strategy may move on, as plain functions.

- Leave consultation only when every educational, prison and youth custody authority
  recorded for the area has a consultation record, or a recorded, justified exception
  (PCSC Act 2022 s.8(4)).
- Publish only when every specified authority has signed off.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class _Member(Protocol):
    pk: int


def missing_members(required: Iterable[_Member], done_member_ids: Iterable[int]):
    """The required members with no matching record, in their original order."""
    done = set(done_member_ids)
    return [member for member in required if member.pk not in done]


def consultation_is_complete(required, consulted_member_ids) -> bool:
    return not missing_members(required, consulted_member_ids)


def sign_off_is_complete(required, signed_member_ids) -> bool:
    required = list(required)
    # A strategy with no specified authorities has no duty holders to sign it off:
    # that is a partnership that is not formed, not a strategy ready to publish.
    return bool(required) and not missing_members(required, signed_member_ids)
