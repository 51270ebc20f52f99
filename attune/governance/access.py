"""A family's access history as the IG lead reads it (the page) and sends it (the subject access
report, a CSV): who, in which role and team, did what to which record, when (London time) and
from which address."""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.html import format_html

from attune.core.formatting import LONDON, date_long, datetime_long, datetime_short, plural
from attune.core.models import AuditEvent, Outcome
from attune.governance.presenters import EventTable, action_label
from attune.governance.who import actor_name, roles_and_places
from attune.reports.exports import BOM, safe_text

NOTHING = "—"
CSV_HEAD = [
    "Date and time (UK)",
    "Who",
    "Role",
    "Team or organisation",
    "What",
    "Record",
    "Outcome",
    "From address",
]


@dataclass(frozen=True)
class DateRange:
    """The days the history covers, both included, as the reader chose them."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{date_long(self.start)} to {date_long(self.end)}"

    def moments(self) -> tuple[datetime, datetime]:
        """From midnight starting the first day to midnight ending the last, in London."""
        return day_start(self.start), day_start(self.end + timedelta(days=1))


def day_start(day: date) -> datetime:
    """Midnight at the start of the day in London (UTC+1 in summer), as the reader means it."""
    return datetime(day.year, day.month, day.day, tzinfo=LONDON)


def what_happened(table: EventTable, event: AuditEvent) -> tuple[str, str, str]:
    """The action's label, the record it was about, and the outcome unless it succeeded."""
    outcome = "" if event.outcome == Outcome.SUCCESS else Outcome(event.outcome).label
    return action_label(event.action), table.subject_text(event), outcome


def page_rows(table: EventTable) -> list[list[dict[str, Any]]]:
    """One row per event: When, Who, Role, Team, What (with the record and any refusal beneath),
    From address."""
    rows = []
    for event in table.events:
        roles, places = roles_and_places(event.role)
        action, record, outcome = what_happened(table, event)
        what = format_html("{}", action)
        if record:
            what = format_html('{}<br><span class="nhsuk-body-s">{}</span>', what, record)
        if outcome:
            what = format_html('{}<br><strong class="nhsuk-tag nhsuk-tag--red">{}</strong>', what, outcome)
        rows.append(
            [
                {"text": datetime_short(event.occurred_at)},
                table.actor_cell(event),
                {"text": roles or NOTHING},
                {"text": places or NOTHING},
                {"html": what},
                {"text": event.ip_address or NOTHING},
            ]
        )
    return rows


def csv_row(table: EventTable, event: AuditEvent) -> list[str]:
    roles, places = roles_and_places(event.role)
    action, record, outcome = what_happened(table, event)
    when = event.occurred_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M:%S")
    cells = [
        when,
        actor_name(event),
        roles,
        places,
        action,
        record,
        outcome or Outcome.SUCCESS.label,
        event.ip_address or "",
    ]
    # Names, roles and team names were typed by people: none may run as a spreadsheet formula.
    return [safe_text(str(cell)) for cell in cells]


class _Line:
    """A file-like object csv.writer writes one line to, which it hands straight back."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    *,
    family_label: str,
    team: str,
    period: DateRange,
    generated_at: datetime,
    rows: int,
    chunks: Iterable[EventTable],
) -> Iterator[str]:
    """The subject access report, line by line: what it is (a forwarded file has no page round
    it), then a heading line and a line per event, in time order. `chunks` are read one at a time,
    so a history of 100,000 events is never in memory at once."""
    writer = csv.writer(_Line())
    yield BOM
    about = [
        ("Report", "Who has seen this family's record (subject access request)"),
        ("Family", family_label),
        ("Team", team),
        ("Period", period.label),
        ("Generated", datetime_long(generated_at)),
        ("Events", plural(rows, "event", "events")),
    ]
    for name, value in about:
        yield writer.writerow([name, safe_text(value)])
    yield writer.writerow([])
    yield writer.writerow(CSV_HEAD)
    for table in chunks:
        for event in table.events:
            yield writer.writerow(csv_row(table, event))


def file_name(family_id: str, period: DateRange) -> str:
    """Names no person (a file name shows in download lists and email subjects)."""
    return f"access-report-{family_id[:8]}-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.csv"
