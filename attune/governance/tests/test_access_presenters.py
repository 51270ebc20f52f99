"""How a family's access history reads, on the page and in the subject access report; the date
range and what an event is about, in words. Events built in memory: no database."""

import csv
import datetime as dt
import io
from collections.abc import Iterator

from attune.accounts.models import User
from attune.core.models import AuditEvent, Outcome
from attune.core.subjects import Subject
from attune.governance import access, forms
from attune.governance.presenters import EventTable, kind_of, named

WHEN = dt.datetime(2026, 3, 3, 14, 30, tzinfo=dt.UTC)
TRUST = "trust-id"
PRIYA = User(full_name="Priya Shah", email="priya.shah@example.nhs.uk")
REFERRAL = Subject(label="PIR-7K2M-Q9XD", kind="Referral", owners=frozenset({TRUST}))
FAMILY = Subject(label="Family of Chloe Ashworth", kind="Family", owners=frozenset({TRUST}))


def _read(**fields: object) -> AuditEvent:
    values: dict[str, object] = {
        "action": "referral.viewed",
        "actor": PRIYA,
        "role": "Coordinator, Blackpool PAIRS hub team",
        "object_type": "referrals.referral",
        "object_id": "r1",
        "occurred_at": WHEN,
        "ip_address": "192.0.2.10",
    }
    values.update(fields)
    return AuditEvent(**values)


def _table(*events: AuditEvent) -> EventTable:
    names = {("referrals.referral", "r1"): REFERRAL, ("families.family", "f1"): FAMILY}
    return EventTable(list(events), names, frozenset({TRUST}))


def test_a_row_says_who_in_which_role_and_team_did_what_to_which_record_when_and_from_where() -> None:
    [row] = access.page_rows(_table(_read()))
    assert row[0] == {"text": "3 Mar 2026, 2:30pm"}  # London time (GMT in March)
    assert row[1] == {"text": "Priya Shah"}  # no link: the reader may not open her page here
    assert row[2] == {"text": "Coordinator"}
    assert row[3] == {"text": "Blackpool PAIRS hub team"}
    assert "Viewed referral" in str(row[4]["html"])
    assert "Referral: PIR-7K2M-Q9XD" in str(row[4]["html"])
    assert row[5] == {"text": "192.0.2.10"}


def test_a_refusal_says_so_and_a_missing_address_is_a_dash() -> None:
    event = _read(action="access.refused", outcome=Outcome.NOT_FOUND, ip_address=None, role="")
    [row] = access.page_rows(_table(event))
    assert "Refused: outside the person&#x27;s scope" in str(row[4]["html"])
    assert row[2] == row[3] == row[5] == {"text": "—"}


def test_a_label_that_names_its_kind_stands_alone() -> None:
    assert named(FAMILY) == "Family of Chloe Ashworth"
    assert named(REFERRAL) == "Referral: PIR-7K2M-Q9XD"


def test_a_search_is_described_by_what_was_typed() -> None:
    event = _read(
        action="search.families", object_type="search", object_id="", detail={"query": "Ashwroth", "results": 1}
    )
    assert _table(event).subject_text(event) == "Search for ‘Ashwroth’: 1 found"


def test_a_record_no_app_names_is_called_by_its_kind() -> None:
    assert kind_of("commissioning.fundingagreement") == "Funding agreement"
    assert kind_of("capability:audit") == ""
    assert kind_of("nothing.here") == ""


def test_a_csv_row_holds_the_same_and_no_formula() -> None:
    sneaky = User(full_name="=SUM(A1:A2)", email="x@example.nhs.uk")
    row = access.csv_row(
        _table(_read(actor=sneaky, role="Coordinator, -Team")), _read(actor=sneaky, role="Coordinator, -Team")
    )
    assert row == [
        "2026-03-03 14:30:00",
        "'=SUM(A1:A2)",
        "Coordinator",
        "'-Team",
        "Viewed referral",
        "Referral: PIR-7K2M-Q9XD",
        "Succeeded",
        "192.0.2.10",
    ]


def test_the_report_says_what_it_is_then_reads_its_parts_one_at_a_time() -> None:
    read: list[int] = []

    def parts() -> Iterator[EventTable]:
        for n in range(3):
            read.append(n)
            yield _table(_read(), _read(occurred_at=WHEN + dt.timedelta(hours=n)))

    lines = access.csv_lines(
        family_label="Family of Chloe Ashworth",
        team="Blackpool PAIRS hub team",
        period=access.DateRange(dt.date(2025, 4, 1), dt.date(2026, 3, 31)),
        generated_at=WHEN,
        rows=6,
        chunks=parts(),
    )
    head = [next(lines) for _ in range(9)]  # the byte order mark, 6 lines about it, a blank, the headings
    assert head[0] == "\ufeff"
    assert read == []  # nothing read until the rows are reached
    text = "".join(head) + "".join(lines)
    assert read == [0, 1, 2]
    found = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert found[0] == ["Report", "Who has seen this family's record (subject access request)"]
    assert ["Period", "1 April 2025 to 31 March 2026"] in found
    assert ["Events", "6 events"] in found
    assert found[7] == access.CSV_HEAD
    assert len(found[8:]) == 6


def test_the_file_name_names_no_person() -> None:
    period = access.DateRange(dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert access.file_name("1fc7122a-0000", period) == "access-report-1fc7122a-2025-04-01-to-2026-03-31.csv"


def test_a_range_runs_from_midnight_to_midnight_in_london() -> None:
    start, end = access.DateRange(dt.date(2026, 7, 1), dt.date(2026, 7, 1)).moments()
    assert start == dt.datetime(2026, 6, 30, 23, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 7, 1, 23, 0, tzinfo=dt.UTC)


def test_twelve_months_back_from_any_day() -> None:
    assert forms.a_year_before(dt.date(2026, 3, 31)) == dt.date(2025, 4, 1)
    assert forms.a_year_before(dt.date(2028, 2, 29)) == dt.date(2027, 3, 1)


def test_the_range_defaults_to_the_last_twelve_months() -> None:
    today = dt.date(2026, 3, 31)
    assert forms.DateRangeForm(today=today).period() == access.DateRange(dt.date(2025, 4, 1), today)
    only_from = forms.DateRangeForm({"start-day": "1", "start-month": "1", "start-year": "2026"}, today=today)
    assert only_from.is_valid()
    assert only_from.period() == access.DateRange(dt.date(2026, 1, 1), today)
    only_to = forms.DateRangeForm({"end-day": "31", "end-month": "12", "end-year": "2025"}, today=today)
    assert only_to.is_valid()
    assert only_to.period() == access.DateRange(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
