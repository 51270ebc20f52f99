"""What someone typed into the search box, read as what they meant: a name, an NHS number, a
date of birth or due date, a postcode, a referral reference or a phone number, or a name with a
date or postcode to narrow it. Plain Python (no Django): fast, and tested on its own.

Anything typed gets an answer: either a query to run or a problem to show, in words that say
what to do ("Enter at least 2 letters or numbers"). Nothing typed is ever passed to the
database as syntax: names are reduced to letters and digits (families.search_keys), numbers to
digits, dates to dates.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from attune.core.validators import is_valid_nhs_number, is_valid_postcode
from attune.families.search_keys import phone_key, postcode_key, query_words

MAX_LENGTH = 100
MIN_LENGTH = 2
MAX_NAME_WORDS = 5
EARLIEST_YEAR = 1900

NAME = "name"
NHS_NUMBER = "nhs_number"
DATE = "date"
POSTCODE = "postcode"
REFERENCE = "reference"
PHONE = "phone"
KINDS = (NAME, NHS_NUMBER, DATE, POSTCODE, REFERENCE, PHONE)

EMPTY = "Enter a name, NHS number, date of birth, postcode, phone number or referral reference"
TOO_SHORT = "Enter at least 2 letters or numbers"
TOO_LONG = f"Your search must be {MAX_LENGTH} characters or fewer"
TOO_MANY_WORDS = f"Search for no more than {MAX_NAME_WORDS} names at once"
NOT_ENOUGH_DIGITS = "Enter all 10 digits of the NHS number, or the whole phone number"
NOT_UNDERSTOOD = "Search by name, NHS number, date of birth or due date, postcode, phone number or referral reference"

# Referral references: the service's own (PIR-ACDE-FGHJ) and any kept from another system,
# letters then a hyphen then letters and digits (RGN-000123).
REFERENCE_PREFIXES = ("PIR",)
_REFERENCE = re.compile(r"^[A-Z]{2,5}-[A-Z0-9]{2,}(?:-[A-Z0-9]+)*$")
_OWN_REFERENCE = re.compile(r"^PIR[\s-]*([A-Z0-9]{4})[\s-]*([A-Z0-9]{4})$")

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# The ways a date is typed: 2025-03-12; 12/3/2025, 12-03-2025, 12.3.25, 12 3 2025; 12 March
# 2025, 12th Mar 2025; March 12, 2025.
_DATES = (
    ("ymd", re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?!\d)")),
    ("dmy", re.compile(r"(?<![\d/.\-])(\d{1,2}) (\d{1,2}) (\d{4})(?![\d/.\-])")),
    ("d_month_y", re.compile(rf"(?<!\w)(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH})\.?,? (\d{{4}})(?!\w)", re.IGNORECASE)),
    ("month_d_y", re.compile(rf"(?<!\w)({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})(?!\w)", re.IGNORECASE)),
)
_COMPACT_DATE = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_NUMBERS_ONLY = re.compile(r"^\+?[\d\s\-()]+$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
_SECTOR = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? \d$")


@dataclass(frozen=True)
class Query:
    """A search to run (problem is "") or why it cannot run (problem says what to do)."""

    text: str  # as typed, spaces tidied
    kind: str = ""  # what is searched by first: a name, else a date, else a postcode
    problem: str = ""
    names: tuple[str, ...] = ()  # folded words (families.search_keys)
    nhs_number: str = ""  # 10 digits
    dates: tuple[date, ...] = field(default_factory=tuple)
    postcode: str = ""  # 'FY1 1AA', or the start of one ('FY1 ', 'FY1 1') when postcode_is_prefix
    postcode_is_prefix: bool = False
    phone: str = ""  # national digits
    reference: str = ""  # as stored: PIR-ACDE-FGHJ


def _refuse(text: str, problem: str) -> Query:
    return Query(text=text, problem=problem)


def _year(typed: str, today: date) -> int:
    """A two-digit year is this century's unless that is more than a year ahead (a carer born
    in '89 is 1989)."""
    if len(typed) == 4:
        return int(typed)
    short = int(typed)
    return 2000 + short if short <= today.year % 100 + 1 else 1900 + short


def _real_date(year: int, month: int, day: int, today: date) -> date | None:
    if not EARLIEST_YEAR <= year <= today.year + 1:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _not_a_date(typed: str, today: date) -> str:
    return f"{typed} is not a real date. Enter a date between {EARLIEST_YEAR} and {today.year + 1}, like 12/3/2025"


def _take_dates(text: str, today: date) -> tuple[str, list[date], str]:
    """The dates in the text, the text without them, and a problem with one that is not real."""
    found: list[date] = []
    rest = text
    for shape, pattern in _DATES:
        for match in list(pattern.finditer(rest)):
            parts = match.groups()
            if shape == "ymd":
                year, month, day = int(parts[0]), int(parts[1]), int(parts[2])
            elif shape == "dmy":
                day, month, year = int(parts[0]), int(parts[1]), _year(parts[2], today)
            elif shape == "d_month_y":
                day, month, year = int(parts[0]), MONTHS[parts[1].lower()], int(parts[2])
            else:
                month, day, year = MONTHS[parts[0].lower()], int(parts[1]), int(parts[2])
            real = _real_date(year, month, day, today)
            if real is None:
                return rest, found, _not_a_date(match.group(0), today)
            found.append(real)
        rest = pattern.sub(" ", rest)
    return " ".join(rest.split()), list(dict.fromkeys(found)), ""


def _take_postcode(tokens: list[str]) -> tuple[list[str], str, bool]:
    """A whole postcode (one word or two) or the start of one (FY1, FY1 1) among the words."""
    upper = [token.upper() for token in tokens]
    for index in range(len(tokens) - 1):
        pair = f"{upper[index]} {upper[index + 1]}"
        if is_valid_postcode(pair):
            return tokens[:index] + tokens[index + 2 :], postcode_key(pair), False
        if _SECTOR.match(pair):
            return tokens[:index] + tokens[index + 2 :], pair, True
    for index, token in enumerate(upper):
        if any(ch.isdigit() for ch in token) and len(token) >= 5 and is_valid_postcode(token):
            return tokens[:index] + tokens[index + 1 :], postcode_key(token), False
        if _OUTWARD.match(token):
            return tokens[:index] + tokens[index + 1 :], f"{token} ", True
    return tokens, "", False


def _numbers(text: str, today: date) -> Query:
    """Only digits (and spaces, dashes, brackets, a plus): an NHS number, a phone number or a
    date typed without separators."""
    digits = "".join(ch for ch in text if ch.isdigit())
    international = text.startswith("+") or digits.startswith("0044")
    if international or (digits.startswith("0") and len(digits) == 11):
        phone = phone_key(text)
        if len(phone) not in (10, 11) or not phone.startswith("0"):
            return _refuse(text, "Enter the whole phone number, like 07700 900123 or +44 7700 900123")
        return Query(text=text, kind=PHONE, phone=phone)
    if len(digits) == 10:
        if is_valid_nhs_number(text.replace("(", "").replace(")", "")) or is_valid_nhs_number(digits):
            return Query(text=text, kind=NHS_NUMBER, nhs_number=digits)
        if digits.startswith("0"):
            return Query(text=text, kind=PHONE, phone=digits)
        shown = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
        return _refuse(text, f"{shown} is not a valid NHS number. Check the number and try again")
    if compact := _COMPACT_DATE.match(digits if digits == text.replace(" ", "") else ""):
        day, month, year = (int(part) for part in compact.groups())
        real = _real_date(year, month, day, today)
        if real is None:
            return _refuse(text, _not_a_date(text, today))
        return Query(text=text, kind=DATE, dates=(real,))
    if len(digits) > 11:
        return _refuse(text, "An NHS number has 10 digits and a phone number 11. Check the number and try again")
    return _refuse(text, NOT_ENOUGH_DIGITS)


def _reference(text: str) -> str:
    """The referral reference typed, as stored, or ''."""
    upper = text.upper()
    if own := _OWN_REFERENCE.match(upper):
        return f"PIR-{own.group(1)}-{own.group(2)}"
    if " " not in upper and _REFERENCE.match(upper):
        prefix = upper.split("-", 1)[0]
        if prefix in REFERENCE_PREFIXES or any(ch.isdigit() for ch in upper):
            return upper
    return ""


def parse(typed: str, *, today: date) -> Query:
    """Read what was typed (`today` decides the century of a two-digit year)."""
    text = " ".join(typed.split())
    if not text:
        return _refuse(text, EMPTY)
    if len(typed) > MAX_LENGTH * 2 or len(text) > MAX_LENGTH:
        return _refuse(text[:MAX_LENGTH], TOO_LONG)
    if reference := _reference(text):
        return Query(text=text, kind=REFERENCE, reference=reference)
    rest, dates, problem = _take_dates(text, today)
    if problem:
        return _refuse(text, problem)
    if not dates and _NUMBERS_ONLY.match(text) and sum(ch.isdigit() for ch in text) >= 5:
        return _numbers(text, today)
    tokens, postcode, prefix = _take_postcode(rest.split())
    names: list[str] = []
    for token in tokens:
        if any(ch.isdigit() for ch in token):
            return _refuse(text, NOT_UNDERSTOOD)
        names += query_words(token)
    names = list(dict.fromkeys(names))
    if len(names) > 1:
        names = [word for word in names if len(word) > 1] or names
    if len(names) > MAX_NAME_WORDS:
        return _refuse(text, TOO_MANY_WORDS)
    if not (names or dates or postcode):
        return _refuse(text, TOO_SHORT)
    if names and all(len(word) < MIN_LENGTH for word in names):
        # Initials alone ('a', 'J K') would match half the region.
        return _refuse(text, TOO_SHORT)
    kind = NAME if names else DATE if dates else POSTCODE
    return Query(
        text=text,
        kind=kind,
        names=tuple(names),
        dates=tuple(dates),
        postcode=postcode,
        postcode_is_prefix=prefix,
    )
