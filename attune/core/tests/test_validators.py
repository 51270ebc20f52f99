"""NHS numbers (modulus 11, domain B.1) and UK postcodes (domain B.5). Pure functions."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attune.core.validators import (
    is_valid_nhs_number,
    is_valid_postcode,
    normalise_nhs_number,
    normalise_postcode,
    outward_code,
    postcode_sector,
    whole_number,
)

WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def _check(first_nine: str) -> int:
    """The domain reference's algorithm, written out independently of the code under test."""
    check = 11 - sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True)) % 11
    return 0 if check == 11 else check


# -- NHS numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "9434765919",  # the Data Dictionary's example
        "943 476 5919",  # as staff read it, 3-3-4
        "943-476-5919",
        " 943 476 5919 ",
        "9990000026",  # synthetic 999 range
        "4010232137",
    ],
)
def test_valid_nhs_numbers(value: str) -> None:
    assert is_valid_nhs_number(value)


@pytest.mark.parametrize(
    "value",
    [
        "9434765918",  # wrong check digit
        "9434765910",
        "943476591",  # nine digits
        "94347659190",  # eleven digits
        "943 476 591",
        "",
        "          ",
        "94347659l9",  # a letter l for a 1
        "943476591O",  # a letter O for a 0
    ],
)
def test_invalid_nhs_numbers(value: str) -> None:
    assert not is_valid_nhs_number(value)


@pytest.mark.parametrize("value", ["A943 476 5919", "9434765919X", "NHS 943 476 5919", "943a476b5919"])
def test_an_nhs_number_with_letters_in_it_is_not_valid(value: str) -> None:
    """A number typed with letters in it is a typing mistake to put right, not a number to accept
    with the letters quietly dropped (domain B.1: 10 digits)."""
    assert not is_valid_nhs_number(value)


def test_a_computed_check_digit_of_10_is_never_valid() -> None:
    first_nine = "100000001"
    assert _check(first_nine) == 10
    for last in "0123456789":
        assert not is_valid_nhs_number(first_nine + last)


def test_a_computed_check_of_11_means_a_check_digit_of_0() -> None:
    first_nine = next(str(n) for n in range(400_000_000, 400_001_000) if _check(str(n)) == 0)
    assert sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True)) % 11 == 0
    assert is_valid_nhs_number(first_nine + "0")
    assert not is_valid_nhs_number(first_nine + "1")


# Above Scotland's CHI range (CHI numbers also begin with a date of birth: tested below).
@given(st.integers(min_value=311_300_000, max_value=999_999_999))
def test_every_number_with_the_right_check_digit_is_valid_and_no_other(prefix: int) -> None:
    first_nine = str(prefix)
    check = _check(first_nine)
    for last in range(10):
        assert is_valid_nhs_number(f"{first_nine}{last}") is (last == check)


def test_a_scottish_chi_number_must_begin_with_a_real_date_of_birth() -> None:
    """Numbers from 010 100 0000 to 311 299 9999 are CHI numbers, DDMMYY first; the `nhs-number`
    package rejects one whose first six digits are no date even when the check digit fits."""
    real = next(f"0103{n:05d}" for n in range(90_000, 99_999) if _check(f"0103{n:05d}") < 10)
    assert is_valid_nhs_number(real + str(_check(real)))
    no_date = next(f"0113{n:05d}" for n in range(90_000, 99_999) if _check(f"0113{n:05d}") < 10)
    assert not is_valid_nhs_number(no_date + str(_check(no_date)))


@pytest.mark.parametrize(
    ("value", "digits"), [("943 476 5919", "9434765919"), ("943-476-5919", "9434765919"), ("", "")]
)
def test_normalising_an_nhs_number_keeps_the_digits(value: str, digits: str) -> None:
    assert normalise_nhs_number(value) == digits


# -- Postcodes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "postcode",
    [
        "M1 1AA",  # A9 9AA
        "M60 1NW",  # A99 9AA
        "CR2 6XH",  # AA9 9AA
        "DN55 1PT",  # AA99 9AA
        "W1A 1HQ",  # A9A 9AA
        "EC1A 1BB",  # AA9A 9AA
        "GIR 0AA",  # the special case
        "FY1 1AA",
        "BB1 7DJ",
    ],
)
def test_the_six_postcode_formats_and_gir_0aa_are_valid(postcode: str) -> None:
    assert is_valid_postcode(postcode)
    assert normalise_postcode(postcode) == postcode


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("fy1 1aa", "FY1 1AA"),
        ("FY11AA", "FY1 1AA"),
        ("  fy1   1aa ", "FY1 1AA"),
        ("ec1a1bb", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
        ("m11aa", "M1 1AA"),
    ],
)
def test_lower_case_and_missing_or_extra_spaces_are_normalised(typed: str, normalised: str) -> None:
    assert normalise_postcode(typed) == normalised
    assert is_valid_postcode(typed)


@pytest.mark.parametrize(
    "postcode",
    [
        "",
        "FY1",  # outward code only
        "12 3AB",  # starts with a digit
        "Q1 1AA",  # Q is never first
        "V1 1AA",
        "X1 1AA",
        "AZ1 1AA",  # Z is never second
        "AI1 1AA",
        "FY1 1AC",  # C, I, K, M, O, V are never in the inward code
        "FY1 1IA",
        "FY1 1AV",
        "FY1 AAA",  # inward code must start with a digit
        "FY1-1AA",
        "FYA 1AA",  # outward code needs a digit
        "FY123 1AA",
        "FY1 1AAA",
        "BFPO 1234",  # not a geographic postcode
    ],
)
def test_invalid_postcode_shapes(postcode: str) -> None:
    assert not is_valid_postcode(postcode)


@pytest.mark.parametrize(
    ("postcode", "outward", "sector"),
    [
        ("BB1 7DJ", "BB1", "BB1 7"),
        ("bb17dj", "BB1", "BB1 7"),
        ("M1 1AA", "M1", "M1 1"),
        ("EC1A 1BB", "EC1A", "EC1A 1"),
        ("DN55 1PT", "DN55", "DN55 1"),
        ("GIR 0AA", "GIR", "GIR 0"),
    ],
)
def test_outward_code_and_sector(postcode: str, outward: str, sector: str) -> None:
    assert outward_code(postcode) == outward
    assert postcode_sector(postcode) == sector


@given(st.sampled_from(["M1 1AA", "M60 1NW", "CR2 6XH", "DN55 1PT", "W1A 1HQ", "EC1A 1BB", "FY4 4QH"]), st.data())
def test_normalising_is_idempotent_and_ignores_case_and_spacing(postcode: str, data: st.DataObject) -> None:
    mangled = "".join(
        (ch.lower() if data.draw(st.booleans()) else ch) + " " * data.draw(st.integers(0, 2)) for ch in postcode
    )
    assert normalise_postcode(mangled) == postcode
    assert normalise_postcode(normalise_postcode(mangled)) == postcode


@pytest.mark.parametrize(
    ("typed", "number"),
    [("12", 12), (" 7 ", 7), ("0", 0), ("", None), ("²", None), ("1²", None), ("٣", None), ("-1", None), ("1.5", None)],
)
def test_a_whole_number_is_the_digits_0_to_9_only(typed: str, number: int | None) -> None:
    assert whole_number(typed) == number
