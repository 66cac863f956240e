"""Validation of the identifiers agencies hold for a person.

Each validator returns the value in its canonical form or raises ValidationError with
GOV.UK wording. Checksums catch most mistyped identifiers before they create a second
record for the same child.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# The letters used by DfE (UPN) and the PNC: I, O and S are left out because they are
# easily confused with 1, 0 and 5.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
PNC_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"


def nhs_check_digit(first_nine: str) -> int | None:
    """Modulus 11 check digit for the first nine digits, or None if no valid digit
    exists (remainder 10: such numbers are never issued)."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def validate_nhs_number(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError("Enter an NHS number with 10 digits, like 485 777 3457")
    check = nhs_check_digit(digits[:9])
    if check is None or check != int(digits[9]):
        raise ValidationError(
            "Enter a valid NHS number: check you have typed every digit correctly"
        )
    return digits


def upn_check_letter(last_twelve: str) -> str:
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        total += weight * (int(char) if char.isdigit() else UPN_LETTERS.index(char))
    return UPN_LETTERS[total % 23]


def validate_upn(value: str) -> str:
    """Unique pupil number: a check letter, 11 digits, then a digit or (for a
    temporary UPN) a letter. The check letter is the weighted sum of characters 2 to
    13 (weights 2 to 13) modulo 23 (DfE UPN guide)."""
    upn = re.sub(r"\s", "", value or "").upper()
    if not re.fullmatch(r"[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]", upn):
        raise ValidationError(
            "Enter a unique pupil number of 13 characters, like A801200001001"
        )
    if upn_check_letter(upn[1:]) != upn[0]:
        raise ValidationError(
            "Enter a valid unique pupil number: the first letter does not match the "
            "rest of the number"
        )
    return upn


def pnc_check_letter(year: str, serial: str) -> str:
    return PNC_LETTERS[int(year[-2:] + serial.zfill(7)) % 23]


def validate_pnc_id(value: str) -> str:
    """Police National Computer ID: year (2 or 4 digits), '/', serial (up to 7 digits)
    and a check letter, like 98/1234567X. Stored as YYYY/NNNNNNNL when the century is
    given, otherwise YY/NNNNNNNL."""
    pnc = re.sub(r"\s", "", value or "").upper()
    match = re.fullmatch(r"(\d{2}|\d{4})/?(\d{1,7})([A-Z])", pnc)
    if not match:
        raise ValidationError(
            "Enter a PNC ID in the format year/number and letter, like 98/1234567X"
        )
    year, serial, letter = match.groups()
    if pnc_check_letter(year, serial) != letter:
        raise ValidationError(
            "Enter a valid PNC ID: the final letter does not match the number"
        )
    return f"{year}/{serial.zfill(7)}{letter}"


def validate_local_id(value: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise ValidationError("Enter the identifier")
    if len(cleaned) > 50 or not re.fullmatch(r"[A-Za-z0-9/\-_. ]+", cleaned):
        raise ValidationError(
            "An identifier must be 50 characters or fewer and use only letters, "
            "numbers, spaces, slashes, dots, hyphens and underscores"
        )
    return cleaned


VALIDATORS = {
    "nhs": validate_nhs_number,
    "upn": validate_upn,
    "pnc": validate_pnc_id,
    "local": validate_local_id,
}


def normalise_identifier(kind: str, value: str) -> str:
    try:
        validator = VALIDATORS[kind]
    except KeyError as exc:
        raise ValidationError("Select the type of identifier") from exc
    return validator(value)
