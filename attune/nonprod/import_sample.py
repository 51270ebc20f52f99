"""Made-up caseload spreadsheets in the import template's shape, for the import benchmark, the
tests and the browser journey: families (a baby and a carer each) with an accepted referral, an
episode on a practitioner's caseload, weekly past appointments and an EPDS (and for some a
PHQ-9). NHS numbers are from the 999 range the NHS keeps for testing, with valid check digits.
Appointments never overlap in a practitioner's diary."""

import datetime as dt
import io
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import openpyxl  # type: ignore[import-untyped]

from attune.interop import import_sheets

# Answers as printed positions. EPDS items 3 and 5 to 10 are printed highest score first.
EPDS_CALM = "0 0 3 0 3 3 3 3 3 3"
EPDS_ITEM_10 = "1 1 2 1 2 2 2 2 2 2"  # item 10 scores 1: a risk alert
PHQ9_LOW = "1 0 1 0 0 1 0 0 0"

GIVEN = ("Amara", "Chloe", "Sophie", "Aisha", "Emily", "Zara", "Grace", "Leah", "Maya", "Hannah")
BABIES = ("Noah", "Isla", "Leo", "Ava", "Jude", "Ivy", "Theo", "Mia", "Arlo", "Rosa")
FAMILY = ("Okafor", "Smith", "Khan", "Brown", "Patel", "Taylor", "Hughes", "Begum", "Walsh", "Evans")


def nhs_numbers(start: int = 0) -> Iterator[str]:
    """Valid NHS numbers 999 xxx xxxx (the range kept for testing), in order."""
    body = 999_000_000 + start
    while True:
        digits = f"{body:09d}"
        total = sum(int(d) * (10 - i) for i, d in enumerate(digits))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        body += 1
        if check != 10:
            yield digits + str(check)


class _Diary:
    """Free hour slots of each practitioner, taken forward from a wanted day and hour."""

    def __init__(self) -> None:
        self.taken: set[tuple[str, dt.date, int]] = set()

    def take(self, who: str, day: dt.date, hour: int) -> tuple[dt.date, int]:
        while (who, day, hour) in self.taken or day.weekday() >= 5:
            hour += 1
            if hour > 16 or day.weekday() >= 5:
                day, hour = day + dt.timedelta(days=1), 9
        self.taken.add((who, day, hour))
        return day, hour


def sample_rows(
    *,
    families: int,
    practitioners: Sequence[str],
    today: dt.date,
    prefix: str = "S",
    appointments_each: int = 3,
    alert_every: int = 0,
    nhs_start: int = 0,
) -> dict[str, list[dict[str, Any]]]:
    """Rows per kind, keyed by column key (import_sheets). `alert_every`: every nth family's
    EPDS answers item 10 above 0."""
    rows: dict[str, list[dict[str, Any]]] = {kind: [] for kind in import_sheets.KINDS}
    numbers = nhs_numbers(nhs_start)
    diary = _Diary()
    # Far enough back for every practitioner's share of families, one new family a slot.
    per_person = max(1, families // max(1, len(practitioners)))
    first_day = today - dt.timedelta(days=per_person // 6 + 7 * appointments_each + 60)
    for index in range(families):
        fid, rid, eid = f"{prefix}F{index:05d}", f"{prefix}R{index:05d}", f"{prefix}E{index:05d}"
        surname = FAMILY[index % len(FAMILY)]
        who = practitioners[index % len(practitioners)]
        opened_day, hour = diary.take(who, first_day + dt.timedelta(days=(index // len(practitioners)) // 6), 9)
        born = opened_day - dt.timedelta(days=90 + index % 200)
        rows[import_sheets.FAMILIES] += [
            {
                "source_id": fid,
                "person": "baby",
                "given_name": BABIES[index % len(BABIES)],
                "family_name": surname,
                "nhs_number": next(numbers),
                "date_of_birth": born.strftime("%d/%m/%Y"),
            },
            {
                "source_id": fid,
                "person": "carer",
                "given_name": GIVEN[index % len(GIVEN)],
                "family_name": surname,
                "nhs_number": next(numbers),
                "relationship": "mother",
                "parental_responsibility": "yes",
                "main_contact": "yes",
                "address_line_1": f"{index + 1} Example Street",
                "town": "Blackpool",
                "postcode": "FY1 1AA",
            },
        ]
        received = opened_day - dt.timedelta(days=30)
        rows[import_sheets.REFERRALS].append(
            {
                "source_id": rid,
                "family": fid,
                "received_on": received.strftime("%d/%m/%Y"),
                "source": "A2",
                "referrer_name": "Health visitor",
                "reason": "Low mood and difficulty bonding",
                "status": "accepted",
                "level_of_need": "distress",
                "priority": "routine",
            }
        )
        rows[import_sheets.EPISODES].append(
            {"source_id": eid, "referral": rid, "practitioner": who, "opened_on": opened_day.strftime("%d/%m/%Y")}
        )
        first_contact = None
        for k in range(appointments_each):
            day, slot = diary.take(who, opened_day + dt.timedelta(days=7 * k), hour) if k else (opened_day, hour)
            first_contact = first_contact or day
            rows[import_sheets.APPOINTMENTS].append(
                {
                    "source_id": f"{prefix}A{index:05d}-{k}",
                    "episode": eid,
                    "date": day.strftime("%d/%m/%Y"),
                    "start": f"{slot:02d}:00",
                    "minutes": "60",
                    "kind": "home_visit",
                    "attendance": "5" if k % 4 != 3 else "3",
                }
            )
        alert = alert_every and index % alert_every == 0
        rows[import_sheets.MEASURES].append(
            {
                "source_id": f"{prefix}M{index:05d}-1",
                "episode": eid,
                "instrument": "EPDS",
                "time_point": "assessment",
                "completed_on": (first_contact or opened_day).strftime("%d/%m/%Y"),
                "answers": EPDS_ITEM_10 if alert else EPDS_CALM,
            }
        )
        if index % 2:
            rows[import_sheets.MEASURES].append(
                {
                    "source_id": f"{prefix}M{index:05d}-2",
                    "episode": eid,
                    "instrument": "PHQ9",
                    "time_point": "assessment",
                    "completed_on": (first_contact or opened_day).strftime("%d/%m/%Y"),
                    "answers": PHQ9_LOW,
                }
            )
    return rows


def workbook(rows: Mapping[str, Sequence[Mapping[str, Any]]], *, sheets: Sequence[str] = import_sheets.KINDS) -> bytes:
    """An .xlsx with a sheet per kind (headings as the template's) holding the rows."""
    book = openpyxl.Workbook(write_only=True)
    for kind in sheets:
        spec = import_sheets.SHEETS[kind]
        sheet = book.create_sheet(spec.name)
        sheet.append([column.header for column in spec.columns])
        for row in rows.get(kind, []):
            sheet.append([row.get(column.key) for column in spec.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(kind: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """One kind's rows as CSV, headings as the template's."""
    import csv

    spec = import_sheets.SHEETS[kind]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.header for column in spec.columns])
    for row in rows:
        writer.writerow([row.get(column.key, "") or "" for column in spec.columns])
    return out.getvalue()
