import pytest
from django.core.exceptions import ValidationError

from svduty.cases.identifiers import (
    nhs_check_digit,
    normalise_identifier,
    pnc_check_letter,
    upn_check_letter,
    validate_local_id,
    validate_nhs_number,
    validate_pnc_id,
    validate_upn,
)


class TestNhsNumber:
    @pytest.mark.parametrize(
        "value", ["9434765919", "943 476 5919", "943-476-5919", "4857773457"]
    )
    def test_valid_numbers_are_accepted_and_normalised(self, value):
        assert validate_nhs_number(value) == value.replace(" ", "").replace("-", "")

    @pytest.mark.parametrize("value", ["9434765918", "4857773456", "1234567890"])
    def test_wrong_check_digit_is_refused(self, value):
        with pytest.raises(ValidationError, match="valid NHS number"):
            validate_nhs_number(value)

    @pytest.mark.parametrize("value", ["", "123", "94347659190", "94347659A9"])
    def test_wrong_length_or_letters_are_refused(self, value):
        with pytest.raises(ValidationError, match="10 digits"):
            validate_nhs_number(value)

    def test_remainder_ten_has_no_valid_check_digit(self):
        # 000000001 (weights 10..2 → 2) → 11 - 2 = 9; find a prefix giving 10.
        prefix = next(
            f"{n:09d}" for n in range(1, 10_000) if nhs_check_digit(f"{n:09d}") is None
        )
        for last in range(10):
            with pytest.raises(ValidationError):
                validate_nhs_number(prefix + str(last))

    def test_check_digit_eleven_becomes_zero(self):
        prefix = next(
            f"{n:09d}" for n in range(1, 10_000) if nhs_check_digit(f"{n:09d}") == 0
        )
        assert validate_nhs_number(prefix + "0") == prefix + "0"


class TestUpn:
    def test_valid_upn(self):
        body = "801200001001"
        upn = upn_check_letter(body) + body
        assert validate_upn(upn.lower()) == upn

    def test_temporary_upn_ending_in_a_letter(self):
        body = "80120000100A"
        upn = upn_check_letter(body) + body
        assert validate_upn(upn) == upn

    def test_wrong_check_letter(self):
        body = "801200001001"
        right = upn_check_letter(body)
        wrong = next(c for c in "ABCDEFGHJKLMNPQRTUVWXYZ" if c != right)
        with pytest.raises(ValidationError, match="first letter"):
            validate_upn(wrong + body)

    @pytest.mark.parametrize(
        "value", ["", "A80120000100", "I801200001001", "A8012000010O1"]
    )
    def test_bad_format(self, value):
        with pytest.raises(ValidationError):
            validate_upn(value)

    def test_check_letter_matches_worked_example(self):
        # Weighted sum of 801200001001 with weights 2..13 = 8*2 + 1*4 + 2*5 + 1*10
        # + 1*13 = 53; 53 mod 23 = 7 → H.
        assert upn_check_letter("801200001001") == "H"


class TestPnc:
    def test_valid_short_and_long_forms(self):
        letter = pnc_check_letter("98", "1234567")
        assert validate_pnc_id(f"98/1234567{letter}") == f"98/1234567{letter}"
        assert validate_pnc_id(f"1998/1234567{letter}") == f"1998/1234567{letter}"

    def test_serial_is_zero_padded(self):
        letter = pnc_check_letter("05", "123")
        assert validate_pnc_id(f"05/123{letter}") == f"05/0000123{letter}"

    def test_wrong_letter(self):
        right = pnc_check_letter("98", "1234567")
        wrong = "A" if right != "A" else "B"
        with pytest.raises(ValidationError, match="final letter"):
            validate_pnc_id(f"98/1234567{wrong}")

    @pytest.mark.parametrize("value", ["", "98-1234567X", "981234567", "9/1234567X"])
    def test_bad_format(self, value):
        with pytest.raises(ValidationError, match="format"):
            validate_pnc_id(value)


def test_local_identifiers():
    assert validate_local_id(" MBC/12345 ") == "MBC/12345"
    with pytest.raises(ValidationError):
        validate_local_id("")
    with pytest.raises(ValidationError):
        validate_local_id("bad<script>")


def test_unknown_kind_is_refused():
    with pytest.raises(ValidationError, match="type of identifier"):
        normalise_identifier("passport", "123")
