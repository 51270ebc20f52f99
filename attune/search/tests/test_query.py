"""Reading what was typed into the search box (no database)."""

import string
from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from attune.search import query as q
from attune.search.query import parse

TODAY = date(2026, 1, 5)


def _parse(text: str) -> q.Query:
    return parse(text, today=TODAY)


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("Ashworth", q.NAME, ("ashworth",)),
        ("Chloë O'Neill", q.NAME, ("chloe", "oneill")),
        ("O Neill", q.NAME, ("neill",)),
        ("Smith-Jones", q.NAME, ("smith", "jones")),
        ("Mac Donald", q.NAME, ("mac", "donald")),
        ("Li", q.NAME, ("li",)),
    ],
)
def test_names(typed: str, kind: str, value: tuple[str, ...]) -> None:
    found = _parse(typed)
    assert (found.problem, found.kind, found.names) == ("", kind, value)


@pytest.mark.parametrize("typed", ["9434765919", "943 476 5919", "943-476-5919", " 943  476 5919 "])
def test_nhs_numbers(typed: str) -> None:
    found = _parse(typed)
    assert (found.problem, found.kind, found.nhs_number) == ("", q.NHS_NUMBER, "9434765919")


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("123 456 7890", "123 456 7890 is not a valid NHS number. Check the number and try again"),
        ("943 476 591", q.NOT_ENOUGH_DIGITS),
        ("12345", q.NOT_ENOUGH_DIGITS),
        ("943 476 5919 12", "An NHS number has 10 digits and a phone number 11. Check the number and try again"),
    ],
)
def test_numbers_that_are_not_an_nhs_number(typed: str, problem: str) -> None:
    assert _parse(typed).problem == problem


@pytest.mark.parametrize(
    "typed",
    ["07700 900123", "07700900123", "+44 7700 900123", "+447700900123", "0044 7700 900123", "+44 (0)7700 900123"],
)
def test_phone_numbers(typed: str) -> None:
    found = _parse(typed)
    assert (found.problem, found.kind, found.phone) == ("", q.PHONE, "07700900123")


def test_a_ten_digit_number_from_nought_that_is_no_nhs_number_is_a_phone_number() -> None:
    found = _parse("01253 30030")
    assert (found.kind, found.phone) == (q.PHONE, "0125330030")


@pytest.mark.parametrize(
    "typed",
    [
        "12/3/2025",
        "12/03/2025",
        "12-03-2025",
        "12.3.2025",
        "12 3 2025",
        "12 March 2025",
        "12th March 2025",
        "12 Mar 2025",
        "12 mar. 2025",
        "March 12, 2025",
        "2025-03-12",
        "12/3/25",
        "12032025",
    ],
)
def test_dates(typed: str) -> None:
    found = _parse(typed)
    assert (found.problem, found.kind, found.dates) == ("", q.DATE, (date(2025, 3, 12),))


def test_a_two_digit_year_ahead_is_last_century() -> None:
    assert _parse("1/7/89").dates == (date(1989, 7, 1),)
    assert _parse("1/7/27").dates == (date(2027, 7, 1),)
    assert _parse("1/7/28").dates == (date(1928, 7, 1),)


@pytest.mark.parametrize("typed", ["31/2/2025", "12/13/2025", "2025-02-30", "1/1/1850", "1/1/2099", "32 March 2025"])
def test_a_date_that_is_not_real(typed: str) -> None:
    found = _parse(typed)
    assert found.problem.endswith("is not a real date. Enter a date between 1900 and 2027, like 12/3/2025")
    assert found.kind == ""


@pytest.mark.parametrize(
    ("typed", "postcode", "prefix"),
    [
        ("FY1 1AA", "FY1 1AA", False),
        ("fy11aa", "FY1 1AA", False),
        ("BB10 1AA", "BB10 1AA", False),
        ("FY1", "FY1 ", True),
        ("fy1 1", "FY1 1", True),
    ],
)
def test_postcodes(typed: str, postcode: str, prefix: bool) -> None:
    found = _parse(typed)
    assert (found.problem, found.kind, found.postcode, found.postcode_is_prefix) == ("", q.POSTCODE, postcode, prefix)


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("PIR-ACDE-FGHJ", "PIR-ACDE-FGHJ"),
        ("pir-acde-fghj", "PIR-ACDE-FGHJ"),
        ("PIRACDEFGHJ", "PIR-ACDE-FGHJ"),
        ("PIR ACDE FGHJ", "PIR-ACDE-FGHJ"),
        ("RGN-000123", "RGN-000123"),
    ],
)
def test_referral_references(typed: str, reference: str) -> None:
    found = _parse(typed)
    assert (found.problem, found.kind, found.reference) == ("", q.REFERENCE, reference)


def test_a_hyphenated_name_is_not_a_reference() -> None:
    assert _parse("Smith-Jones").kind == q.NAME
    assert _parse("Ann-Marie").kind == q.NAME


def test_a_name_narrowed_by_a_date_and_a_postcode() -> None:
    found = _parse("Ashworth 12/3/2025 FY1 1AA")
    assert (found.kind, found.names, found.dates, found.postcode) == (
        q.NAME,
        ("ashworth",),
        (date(2025, 3, 12),),
        "FY1 1AA",
    )


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", q.EMPTY),
        ("   ", q.EMPTY),
        ("a", q.TOO_SHORT),
        ("J K", q.TOO_SHORT),
        ("%", q.TOO_SHORT),
        ("_", q.TOO_SHORT),
        ("*", q.TOO_SHORT),
        ("(.*)", q.TOO_SHORT),
        ("x" * 101, q.TOO_LONG),
        ("x" * 500, q.TOO_LONG),
        ("one two three four five six", q.TOO_MANY_WORDS),
        ("Smith 123", q.NOT_UNDERSTOOD),
        ("2nd", q.NOT_UNDERSTOOD),
    ],
)
def test_problems(typed: str, problem: str) -> None:
    found = _parse(typed)
    assert (found.problem, found.kind, found.names) == (problem, "", ())


def test_sql_typed_is_just_two_names() -> None:
    found = _parse("'; drop table families_family; --")
    assert (found.kind, found.names) == (q.NAME, ("drop", "table", "familiesfamily"))


@given(st.text(max_size=300))
@example("\x00")
@example("١٢/٣/٢٠٢٥")
@example("²³")
@example("9" * 200)
def test_anything_typed_is_a_search_or_a_problem_never_an_error(text: str) -> None:
    found = _parse(text)
    assert bool(found.problem) != bool(found.kind)
    if found.kind:
        assert found.kind in q.KINDS
        assert all(word.isalnum() for word in found.names)
        assert len(found.names) <= q.MAX_NAME_WORDS
        assert found.nhs_number == "" or (found.nhs_number.isdigit() and len(found.nhs_number) == 10)
        assert found.phone == "" or found.phone.isdigit()


@given(st.integers(min_value=1900, max_value=2027), st.integers(1, 12), st.integers(1, 28))
def test_a_real_date_is_read_in_every_shape(year: int, month: int, day: int) -> None:
    expected = (date(year, month, day),)
    for typed in (f"{day}/{month}/{year}", f"{year}-{month:02d}-{day:02d}", f"{day} {date(2000, month, 1):%B} {year}"):
        assert _parse(typed).dates == expected


@given(st.text(alphabet=string.digits, min_size=10, max_size=10))
def test_ten_digits_are_an_nhs_number_a_phone_number_or_a_clear_problem(digits: str) -> None:
    found = _parse(digits)
    if found.kind:
        assert found.kind in (q.NHS_NUMBER, q.PHONE, q.DATE)
    else:  # "0044 000 000" is an international prefix with too few digits after it
        assert "not a valid NHS number" in found.problem or found.problem.startswith("Enter the whole phone number")
