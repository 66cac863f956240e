"""Code lists the local definition's mapping rules are checked against.

Plain constants with no Django import, so that the readers in the sharing app (which
read these codes in imported files) and the partnership app (whose mapping rules name
them) share one list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: The assault methods of the svduty ISTV (emergency department) template, by code.
ED_ASSAULT_METHODS: dict[str, str] = {
    "body_part": "Body part (fist, foot, head)",
    "blunt_object": "Blunt object (bat, bar, stick)",
    "knife_or_sharp_object": "Knife or other sharp object",
    "glass_or_bottle": "Glass or bottle",
    "firearm": "Firearm",
    "corrosive_substance": "Corrosive substance",
    "other": "Other (describe in assault_method_other)",
    "not_known": "Not known",
}

#: A Home Office offence code as forces record it: a class, optionally with a
#: subdivision, such as 8/1, 105A, 4.1 or 8N (upper case once normalised).
HO_OFFENCE_CODE = re.compile(r"^[0-9]{1,3}[A-Z]?(?:[/.][0-9]{1,3}[A-Z]?)?$")


def normalise_ho_code(value: str) -> str | None:
    """The code in upper case without spaces, or None when it is not a code."""
    code = re.sub(r"\s+", "", value or "").upper()
    return code if HO_OFFENCE_CODE.match(code) else None


def ed_assault_method(value: str) -> str | None:
    """The ISTV assault method code for a code or its label (any case), or None."""
    text = (value or "").strip().casefold()
    for code, label in ED_ASSAULT_METHODS.items():
        if text in (code, label.casefold()):
            return code
    return None


@dataclass(frozen=True)
class KindSpec:
    """One kind of serious violence as the SNA applies it: its mapping rules. The
    key is its label (unique in a version, kept when a new version copies it)."""

    key: str
    label: str
    police_uk: tuple[str, ...]
    ho_codes: tuple[str, ...]
    weapon_flags: tuple[str, ...]
    ed_methods: tuple[str, ...]


@dataclass(frozen=True)
class DefinitionSpec:
    """A version of the local definition as data: what the SNA counts and how every
    result names it. Built from an agreed (or draft) version; never changes after."""

    id: int
    number: int
    agreed_on: dt.date | None
    label: str
    kinds: tuple[KindSpec, ...]
    excluded_codes: tuple[str, ...]
    exclusions_source: str

    def kind(self, key: str) -> KindSpec | None:
        return next((k for k in self.kinds if k.key == key), None)

    def rule_union(self, field: str) -> tuple[str, ...]:
        return tuple(sorted({v for k in self.kinds for v in getattr(k, field)}))
