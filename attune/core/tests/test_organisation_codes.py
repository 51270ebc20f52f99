"""Organisation codes are checked for form: an NHS trust's ODS code, an ICB's, a council's ONS code."""

import pytest

from attune.core.validators import (
    is_valid_icb_ods_code,
    is_valid_ons_area_code,
    is_valid_trust_ods_code,
    normalise_code,
)


@pytest.mark.parametrize("code", ["RXL", "RXR", "R0A", "TAJ", " rxl ", "r x l"])
def test_trust_ods_codes_are_three_characters_starting_with_r_or_t(code: str) -> None:
    assert is_valid_trust_ods_code(code)


@pytest.mark.parametrize("code", ["", "RX", "RXLX", "QE1", "AXL", "R-L", "RX!", "E06000009", "RXL1"])
def test_other_codes_are_not_trust_ods_codes(code: str) -> None:
    assert not is_valid_trust_ods_code(code)


@pytest.mark.parametrize(("code", "valid"), [("QE1", True), ("qhm", True), ("RXL", False), ("Q1", False)])
def test_icb_ods_codes_start_with_q(code: str, valid: bool) -> None:
    assert is_valid_icb_ods_code(code) is valid


@pytest.mark.parametrize(
    ("code", "valid"),
    [("E06000009", True), ("e06000008", True), ("W06000015", True), ("E0600000", False), ("X06000009", False),
     ("RXL", False)],
)  # fmt: skip
def test_council_ons_codes_are_a_country_letter_and_eight_digits(code: str, valid: bool) -> None:
    assert is_valid_ons_area_code(code) is valid


def test_codes_are_normalised_to_capitals_without_spaces() -> None:
    assert normalise_code(" r xl ") == "RXL"
