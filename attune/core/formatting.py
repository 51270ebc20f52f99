"""How dates, times and identifiers read on the page (NHS content style). No database here."""

import re
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def plural(count: int, one: str, many: str) -> str:
    """'1 family', '3 families'"""
    return f"{count} {one if count == 1 else many}"


def money(pounds: Decimal) -> str:
    """£60,371.25; -£5.00 (pounds and pence, thousands separated)"""
    sign = "-" if pounds < 0 else ""
    return f"{sign}£{abs(pounds):,.2f}"


def date_long(value: date | datetime | None) -> str:
    """25 November 2026"""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def local_day(value: datetime) -> date:
    """The day a moment falls on in London. Moments are stored in UTC: from 00:00 to 01:00 in
    summer, the UTC date is still yesterday's."""
    return value.astimezone(LONDON).date()


def day_long(value: date | datetime | None) -> str:
    """Tuesday 1 December 2026 (for a moment, the day it falls on in London)"""
    if value is None:
        return ""
    day = local_day(value) if isinstance(value, datetime) else value
    return f"{day:%A} {date_long(day)}"


def time_short(value: datetime) -> str:
    """9:05am, 2:30pm, 12 noon, 12 midnight"""
    local = value.astimezone(LONDON)
    if local.minute == 0 and local.hour in (0, 12):
        return "12 midnight" if local.hour == 0 else "12 noon"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}:{local.minute:02d}{suffix}"


def datetime_long(value: datetime | None) -> str:
    """25 November 2026 at 2:30pm (London time)"""
    if value is None:
        return ""
    return f"{date_long(value)} at {time_short(value)}"


def nhs_number(value: str | None) -> str:
    """943 476 5919: the 3-3-4 grouping NHS staff read aloud."""
    if not value:
        return ""
    digits = "".join(ch for ch in value if ch in "0123456789")
    if len(digits) != 10:
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def datetime_short(value: datetime | None) -> str:
    """26 Nov 2026, 2:30pm: for tables, where the long form wraps."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    return f"{local.day} {local:%b %Y}, {time_short(value)}"


def paragraphs(text: str) -> list[str]:
    """Typed text as paragraphs: each line that is not blank, trimmed (a template escapes each)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


# Reading a time typed into a form ---------------------------------------------------------------

TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")
TIME_HINT = "For example, 9:30am or 14:30"


def parse_time(text: str) -> time | None:
    """'9:30am', '9.30', '14:30', '2pm', '12 noon' -> a time; None if it is not one (every form
    that asks for a time reads it so: the diary, safeguarding meetings, risk alerts)."""
    value = text.strip().lower().replace(" ", "")
    if value in ("noon", "12noon", "midday"):
        return time(12)
    found = TIME.match(value)
    if found is None:
        return None
    hour, minute, half = int(found.group(1)), int(found.group(2) or 0), found.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
