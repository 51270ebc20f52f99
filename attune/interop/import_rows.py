"""Reading and checking the rows of a caseload spreadsheet: plain Python, no Django, no database.

Cells arrive as the spreadsheet held them (text, numbers, dates, a Formula) and leave as clean
values, or as a Problem that says where it is (sheet, row, column), what is wrong and how to mend
it, in NHS content style. The checks between sheets (a referral's family exists, an appointment
comes after its episode opened) are here too; what needs the database (NHS numbers already in
Attune, practitioners' emails) is the caller's.
"""

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from attune.core.validators import is_valid_nhs_number, is_valid_postcode, normalise_nhs_number
from attune.outcomes import instruments, scoring

# How many problems a report keeps: enough for any real file, and a file of nonsense stops here.
MOST_PROBLEMS = 50_000


@dataclass(frozen=True)
class Column:
    header: str  # as it is written in row 1 of the sheet
    key: str
    kind: str = "text"  # text, date, time, minutes, code, nhs_number, yes_no, email
    required: bool = False
    codes: str = ""  # the code list (kind "code")
    note: str = ""  # what the guidance sheet says about it
    example: str = ""


@dataclass(frozen=True)
class Sheet:
    kind: str
    name: str  # the sheet's name in the workbook
    what: str  # one line for the guidance sheet
    columns: tuple[Column, ...]

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula: refused, since what it shows depends on the program that
    opens it and Attune takes only what was typed."""

    text: str


@dataclass(frozen=True)
class Problem:
    sheet: str  # the sheet's name as in the file ("" for the file as a whole)
    row: int  # the spreadsheet's row number (0 for the file or the sheet as a whole)
    column: str  # the column's header ("" when it is the row or the sheet)
    problem: str  # what is wrong
    fix: str  # how to mend it

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "problem": self.problem, "fix": self.fix}


@dataclass
class Row:
    number: int  # the spreadsheet's row number
    values: dict[str, Any]
    # Columns whose cell was refused: reported once, so the checks between rows leave them be.
    bad: set[str] = field(default_factory=set)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None or value == "" else value

    @property
    def source_id(self) -> str:
        return str(self.values.get("source_id") or "")


@dataclass
class Table:
    sheet: Sheet
    name: str  # as written in the file
    rows: list[Row] = field(default_factory=list)


# Cells -------------------------------------------------------------------------------------

DATE_EXAMPLE = "31/01/2025"
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$")


class CellProblem(ValueError):
    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem, self.fix = problem, fix


def shown(value: Any) -> str:
    """A cell as a message quotes it: short, on one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:37] + "..."


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):
        raise CellProblem(
            f"'{shown(value)}' is a number, not a date", "Format the cell as a date, or type the date as text"
        )
    text = str(value).strip()
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            raise CellProblem(
                f"'{shown(text)}' has a 2-digit year", f"Write the year in full, for example {DATE_EXAMPLE}"
            )
    else:
        raise CellProblem(
            f"'{shown(text)}' is not a date", f"Write dates as day/month/year, for example {DATE_EXAMPLE}"
        )
    if month > 12 and day <= 12:
        # 01/13/2025: month first, as American spreadsheets write it.
        raise CellProblem(
            f"'{shown(text)}' has month {month}: it looks like month/day/year",
            f"Write dates as day/month/year, for example {DATE_EXAMPLE}",
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellProblem(
            f"'{shown(text)}' is not a real date", f"Check the day and month, for example {DATE_EXAMPLE}"
        ) from None


def parse_time(value: Any) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    text = str(value).strip()
    match = _TIME.match(text)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise CellProblem(f"'{shown(text)}' is not a time", "Write the time on the 24-hour clock, for example 14:30")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a cell: 12345 comes back as 12345.0
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_cell(column: Column, value: Any, codes: Mapping[str, Mapping[str, str]]) -> Any:
    """The clean value of a cell that is not blank, or CellProblem."""
    if isinstance(value, Formula):
        raise CellProblem(
            f"The cell holds a formula ({shown(value.text)})",
            "Replace the formula with the value itself: copy the cells, then paste as values",
        )
    if column.kind == "date":
        return parse_date(value)
    if column.kind == "time":
        return parse_time(value)
    text = _text(value)
    if column.kind == "minutes":
        if not text.isdigit() or not 5 <= int(text) <= 480:
            raise CellProblem(
                f"'{shown(text)}' is not a length in minutes", "Enter a whole number of minutes from 5 to 480"
            )
        return int(text)
    if column.kind == "nhs_number":
        if not is_valid_nhs_number(text):
            raise CellProblem(
                f"'{shown(text)}' is not a valid NHS number",
                "Check the number: it has 10 digits and the last is a check digit. Leave it blank if not known",
            )
        return normalise_nhs_number(text)
    if column.kind == "yes_no":
        answer = text.casefold()
        if answer in ("yes", "y", "true"):
            return True
        if answer in ("no", "n", "false"):
            return False
        raise CellProblem(f"'{shown(text)}' is not yes or no", "Write yes or no, or leave it blank")
    if column.kind == "email":
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
            raise CellProblem(
                f"'{shown(text)}' is not an email address", "Enter an email address like name@example.nhs.uk"
            )
        return text.lower()
    if column.kind == "code":
        allowed = codes[column.codes]
        by_code = {code.casefold(): code for code in allowed}
        by_label = {label.casefold(): code for code, label in allowed.items()}
        found = by_code.get(text.casefold()) or by_label.get(text.casefold())
        if found is None:
            raise CellProblem(
                f"'{shown(text)}' is not on the {column.header} code list",
                f"Use a code from the {column.header} list on the Code lists sheet of the template",
            )
        return found
    if len(text) > 200:
        raise CellProblem(f"{column.header} is longer than 200 characters", "Shorten it to 200 characters or fewer")
    return text


def read_table(
    sheet: Sheet,
    name: str,
    header: Sequence[Any],
    rows: Iterable[tuple[int, Sequence[Any]]],
    codes: Mapping[str, Mapping[str, str]],
    problems: list[Problem],
) -> Table | None:
    """One sheet's rows, clean, with a Problem for each cell that is not. None when the header
    row lacks a required column (every row would be wrong: the sheet is reported once)."""
    headers = [_text(cell).casefold() if cell is not None else "" for cell in header]
    where: dict[str, int] = {}
    for column in sheet.columns:
        if column.header.casefold() in headers:
            where[column.key] = headers.index(column.header.casefold())
    missing = [c.header for c in sheet.required if c.key not in where]
    if missing:
        problems.append(
            Problem(
                name,
                1,
                "",
                f"The {name} sheet has no {_and(missing)} column" + ("s" if len(missing) > 1 else ""),
                "Add the missing columns, with the headings in row 1 as in the template",
            )
        )
        return None
    table = Table(sheet, name)
    for number, cells in rows:
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        values: dict[str, Any] = {}
        bad: set[str] = set()
        for column in sheet.columns:
            index = where.get(column.key)
            value = cells[index] if index is not None and index < len(cells) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                values[column.key] = None
                if column.required:
                    problems.append(
                        Problem(
                            name,
                            number,
                            column.header,
                            f"{column.header} is blank",
                            f"Enter the {column.header.lower()}",
                        )
                    )
                continue
            try:
                values[column.key] = parse_cell(column, value, codes)
            except CellProblem as refused:
                values[column.key] = None
                bad.add(column.key)
                problems.append(Problem(name, number, column.header, refused.problem, refused.fix))
        table.rows.append(Row(number, values, bad))
    return table


def tables_to_json(tables: Mapping[str, Table]) -> dict[str, Any]:
    """The rows read, as JSON the run keeps until it is imported (dates and times as ISO text)."""

    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date | dt.time) else value

    return {
        kind: {
            "name": table.name,
            "rows": [[row.number, {k: plain(v) for k, v in row.values.items()}] for row in table.rows],
        }
        for kind, table in tables.items()
    }


def tables_from_json(data: Mapping[str, Any], sheets: Mapping[str, Sheet]) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for kind, found in data.items():
        sheet = sheets[kind]
        readers = {
            c.key: dt.date.fromisoformat if c.kind == "date" else dt.time.fromisoformat
            for c in sheet.columns
            if c.kind in ("date", "time")
        }
        table = Table(sheet, found["name"])
        for number, values in found["rows"]:
            for key, read in readers.items():
                if values.get(key) is not None:
                    values[key] = read(values[key])
            table.rows.append(Row(number, values))
        tables[kind] = table
    return tables


def _and(words: Sequence[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def parse_answers(text: str) -> list[int | None]:
    found: list[int | None] = []
    for part in re.split(r"[\s;,]+", text.strip()):
        if part == "":
            continue
        if part == "-":
            found.append(None)
        elif re.fullmatch(r"\d+", part):
            found.append(int(part))
        else:
            raise CellProblem(
                f"'{shown(part)}' is not a whole number",
                "Write each item's score as a whole number, separated by spaces, with - for an item not answered",
            )
    return found


# Between sheets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """What Attune holds already that rows may refer to (from earlier imports of the team):
    source id -> facts the checks need."""

    families: Mapping[str, frozenset[str]] = field(default_factory=dict)  # -> the family's NHS numbers
    referrals: Mapping[str, tuple[str, dt.date]] = field(default_factory=dict)  # -> (status, received)
    episodes: Mapping[str, dt.date] = field(default_factory=dict)  # -> opened on
    imported: Mapping[str, frozenset[str]] = field(default_factory=dict)  # kind -> source ids done


@dataclass
class Plan:
    """The checked file, as what the import will do: rows to make, per kind, in order, and the
    rows already imported (skipped)."""

    tables: dict[str, Table]
    new: dict[str, list[Row]] = field(default_factory=dict)
    already: dict[str, int] = field(default_factory=dict)
    # family source id -> its rows (people), in order
    people: dict[str, list[Row]] = field(default_factory=dict)


def _person_problems(family_id: str, rows: list[Row], name: str) -> list[Problem]:
    problems = []
    babies = [r for r in rows if r.get("person") == "baby"]
    if not babies and all(r.get("person") for r in rows):
        problems.append(
            Problem(
                name,
                rows[0].number,
                "Person",
                f"Family {family_id} has no baby",
                "Add a row for the baby (person: baby)",
            )
        )
    for row in rows:
        if row.get("person") == "baby":
            if (
                row.get("date_of_birth") is None
                and row.get("due_date") is None
                and not row.bad & {"date_of_birth", "due_date"}
            ):
                problems.append(
                    Problem(
                        name,
                        row.number,
                        "Date of birth",
                        "The baby has no date of birth or due date",
                        "Enter one of them",
                    )
                )
        elif row.get("person") == "carer":
            if row.get("relationship") is None and "relationship" not in row.bad:
                problems.append(
                    Problem(
                        name,
                        row.number,
                        "Relationship",
                        "Relationship is blank for a carer",
                        "Enter the carer's relationship to the baby",
                    )
                )
            if not row.get("given_name") and not row.get("family_name"):
                problems.append(
                    Problem(
                        name, row.number, "Given name", "The carer has no name", "Enter their given and family names"
                    )
                )
    for key, header in (
        ("address_line_1", "Address line 1"),
        ("town", "Town"),
        ("postcode", "Postcode"),
        ("gp_practice", "GP practice"),
    ):
        given = {str(r.get(key)).strip().casefold() for r in rows if r.get(key)}
        if len(given) > 1:
            later = next(r for r in rows[1:] if r.get(key))
            problems.append(
                Problem(
                    name,
                    later.number,
                    header,
                    f"Family {family_id} has different values for {header.lower()}",
                    "Give it once, or the same on every row of the family",
                )
            )
    for row in rows:
        postcode = row.get("postcode")
        if postcode and not is_valid_postcode(postcode):
            problems.append(
                Problem(
                    name,
                    row.number,
                    "Postcode",
                    f"'{shown(postcode)}' is not a postcode",
                    "Enter a postcode like FY1 1AA, or leave it blank",
                )
            )
    return problems


def _in_future(day: dt.date | None, today: dt.date) -> bool:
    return day is not None and day > today


def check_file(
    tables: Mapping[str, Table], known: Known, *, today: dt.date, kinds: Sequence[str]
) -> tuple[Plan, list[Problem]]:
    """The checks between rows and sheets, and what the import would make. `kinds` is the
    order rows are imported in (families first)."""
    problems: list[Problem] = []
    plan = Plan(tables=dict(tables))
    for kind in kinds:
        plan.new[kind], plan.already[kind] = [], 0

    def sheet_name(kind: str) -> str:
        return tables[kind].name if kind in tables else kind.capitalize()

    # Families: rows grouped by source id.
    families = tables.get("families")
    nhs_seen: dict[str, str] = {}
    file_families: set[str] = set()
    if families is not None:
        grouped: dict[str, list[Row]] = defaultdict(list)
        for row in families.rows:
            if row.source_id:
                grouped[row.source_id].append(row)
        for family_id, rows in grouped.items():
            if family_id in known.imported.get("families", frozenset()):
                plan.already["families"] += 1
                continue
            file_families.add(family_id)
            plan.people[family_id] = rows
            plan.new["families"].append(rows[0])
            problems += _person_problems(family_id, rows, families.name)
            for row in rows:
                number = row.get("nhs_number")
                if number:
                    other = nhs_seen.setdefault(number, family_id)
                    if other != family_id or sum(1 for r in rows if r.get("nhs_number") == number) > 1:
                        problems.append(
                            Problem(
                                families.name,
                                row.number,
                                "NHS number",
                                f"NHS number {number} is on more than one person in the file",
                                "Check which person it belongs to and remove it from the others",
                            )
                        )
    # Referrals.
    referrals: dict[str, tuple[str, dt.date | None, int]] = {}  # source id -> (status, received, row)
    referrals_table = tables.get("referrals")
    if referrals_table is not None:
        name = referrals_table.name
        families_referred: Counter[str] = Counter()
        for row in referrals_table.rows:
            if not row.source_id:
                continue
            if row.source_id in referrals or row.source_id in known.referrals:
                if row.source_id in known.imported.get("referrals", frozenset()) and row.source_id not in referrals:
                    plan.already["referrals"] += 1
                    referrals[row.source_id] = (row.get("status", ""), row.get("received_on"), row.number)
                    continue
                problems.append(
                    Problem(
                        name,
                        row.number,
                        "Source id",
                        f"Source id {row.source_id} is on more than one row",
                        "Give each referral its own source id",
                    )
                )
                continue
            referrals[row.source_id] = (row.get("status", ""), row.get("received_on"), row.number)
            family_id = row.get("family")
            if family_id and family_id not in file_families:
                if family_id in known.families:
                    pass  # imported before (an earlier file, or a CSV of families)
                else:
                    problems.append(
                        Problem(
                            name,
                            row.number,
                            "Family source id",
                            f"There is no family {family_id} on the {sheet_name('families')} sheet or imported before",
                            "Add the family to the Families sheet, or correct the source id",
                        )
                    )
            elif family_id:
                families_referred[family_id] += 1
                if families_referred[family_id] > 1:
                    problems.append(
                        Problem(
                            name,
                            row.number,
                            "Family source id",
                            f"Family {family_id} has more than one referral",
                            "Import one open referral for each family",
                        )
                    )
            if _in_future(row.get("received_on"), today):
                problems.append(
                    Problem(
                        name,
                        row.number,
                        "Received date",
                        "The received date is in the future",
                        "Enter the date the referral was received",
                    )
                )
            if row.get("status") == "accepted":
                for key, header in (("level_of_need", "Level of need"), ("priority", "Priority")):
                    if row.get(key) is None and key not in row.bad:
                        problems.append(
                            Problem(
                                name,
                                row.number,
                                header,
                                f"{header} is blank for an accepted referral",
                                f"Enter the {header.lower()}",
                            )
                        )
            plan.new["referrals"].append(row)
    # Episodes.
    episodes: dict[str, dt.date | None] = {}
    episodes_table = tables.get("episodes")
    if episodes_table is not None:
        name = episodes_table.name
        per_referral: Counter[str] = Counter()
        for row in episodes_table.rows:
            if not row.source_id:
                continue
            if row.source_id in known.imported.get("episodes", frozenset()):
                plan.already["episodes"] += 1
                episodes[row.source_id] = known.episodes.get(row.source_id)
                continue
            if row.source_id in episodes:
                problems.append(
                    Problem(
                        name,
                        row.number,
                        "Source id",
                        f"Source id {row.source_id} is on more than one row",
                        "Give each episode its own source id",
                    )
                )
                continue
            episodes[row.source_id] = row.get("opened_on")
            referral_id = row.get("referral")
            if referral_id:
                status, received, _ = referrals.get(referral_id) or (*known.referrals.get(referral_id, ("", None)), 0)
                if referral_id not in referrals and referral_id not in known.referrals:
                    problems.append(
                        Problem(
                            name,
                            row.number,
                            "Referral source id",
                            f"There is no referral {referral_id} on the {sheet_name('referrals')} sheet or imported before",
                            "Add the referral, or correct the source id",
                        )
                    )
                elif status != "accepted":
                    problems.append(
                        Problem(
                            name,
                            row.number,
                            "Referral source id",
                            f"Referral {referral_id} is not accepted",
                            "Set the referral's status to accepted, with its level of need and priority",
                        )
                    )
                per_referral[referral_id] += 1
                if per_referral[referral_id] > 1:
                    problems.append(
                        Problem(
                            name,
                            row.number,
                            "Referral source id",
                            f"Referral {referral_id} has more than one episode",
                            "Import one open episode for each referral",
                        )
                    )
                opened = row.get("opened_on")
                if opened and received and opened < received:
                    problems.append(
                        Problem(
                            name,
                            row.number,
                            "Opened date",
                            "The episode opened before its referral was received",
                            "Check the opened date and the referral's received date",
                        )
                    )
            if _in_future(row.get("opened_on"), today):
                problems.append(
                    Problem(
                        name,
                        row.number,
                        "Opened date",
                        "The opened date is in the future",
                        "Enter the date the episode opened",
                    )
                )
            plan.new["episodes"].append(row)
    # Appointments and measures: after their episode opened, not in the future.
    for kind, date_key, date_header in (
        ("appointments", "date", "Date"),
        ("measures", "completed_on", "Completed date"),
    ):
        table = tables.get(kind)
        if table is None:
            continue
        seen: set[str] = set()
        for row in table.rows:
            if not row.source_id:
                continue
            if row.source_id in known.imported.get(kind, frozenset()):
                plan.already[kind] += 1
                continue
            if row.source_id in seen:
                problems.append(
                    Problem(
                        table.name,
                        row.number,
                        "Source id",
                        f"Source id {row.source_id} is on more than one row",
                        "Give each row its own source id",
                    )
                )
                continue
            seen.add(row.source_id)
            episode_id = row.get("episode")
            day = row.get(date_key)
            if episode_id and episode_id not in episodes and episode_id in known.episodes:
                episodes[episode_id] = known.episodes[episode_id]
            if episode_id and episode_id not in episodes:
                problems.append(
                    Problem(
                        table.name,
                        row.number,
                        "Episode source id",
                        f"There is no episode {episode_id} on the {sheet_name('episodes')} sheet or imported before",
                        "Add the episode, or correct the source id",
                    )
                )
            elif episode_id and day and (opened := episodes[episode_id]) and day < opened:
                problems.append(
                    Problem(
                        table.name,
                        row.number,
                        date_header,
                        f"The {date_header.lower()} is before the episode opened",
                        "Check the date and the episode's opened date",
                    )
                )
            if _in_future(day, today):
                problems.append(
                    Problem(
                        table.name,
                        row.number,
                        date_header,
                        f"The {date_header.lower()} is in the future",
                        "Import only what has happened: book future appointments in Attune",
                    )
                )
            elif kind == "appointments" and day == today:
                problems.append(
                    Problem(
                        table.name,
                        row.number,
                        date_header,
                        "The appointment is today",
                        "Record today's appointments in Attune",
                    )
                )
            if kind == "measures":
                problems += _measure_problems(table.name, row)
            plan.new[kind].append(row)
    problems += _clashes(tables.get("appointments"), plan)
    return plan, problems


def _measure_problems(name: str, row: Row) -> list[Problem]:
    code, text = row.get("instrument"), row.get("answers")
    if code is None or text is None:
        return []
    try:
        answers = parse_answers(str(text))
    except CellProblem as bad:
        return [Problem(name, row.number, "Answers", bad.problem, bad.fix)]
    try:
        definition = instruments.get(code)
        result = scoring.score(code, answers)
    except (KeyError, ValueError) as error:
        return [
            Problem(
                name,
                row.number,
                "Answers",
                f"The answers do not fit the {code}: {error}",
                f"Give one answer for each of the {code}'s items, in order",
            )
        ]
    risk_items = {rule.item for rule in definition.risk_rules if rule.item is not None}
    unanswered = [n for n in result.missing_items if n in risk_items or result.total is None]
    if unanswered:
        return [
            Problem(
                name,
                row.number,
                "Answers",
                f"Item {unanswered[0]} is not answered, and the {code} cannot be scored without it",
                "Give the item's answer, or leave the measure out of the import",
            )
        ]
    return []


def overlapping(intervals: Iterable[tuple[Any, Any, Any, bool]]) -> list[tuple[Any, Any]]:
    """(new, other) for each new interval (start, end, key, is_new) that overlaps one starting
    no later, found in one sweep in time order (not every pair: a practitioner's diary may
    hold thousands). Two old intervals that overlap are not this import's business."""
    found = []
    latest: tuple[Any, Any] | None = None  # (end, key) of the interval ending last so far
    latest_new: tuple[Any, Any] | None = None
    for start, end, key, is_new in sorted(intervals, key=lambda i: (i[0], not i[3])):
        if is_new and latest is not None and start < latest[0]:
            found.append((key, latest[1]))
        elif not is_new and latest_new is not None and start < latest_new[0]:
            found.append((latest_new[1], key))
        if latest is None or end > latest[0]:
            latest = (end, key)
        if is_new and (latest_new is None or end > latest_new[0]):
            latest_new = (end, key)
    return found


def _clashes(table: Table | None, plan: Plan) -> list[Problem]:
    """Two appointments of one practitioner at overlapping times in the file. (The episode's
    practitioner stands in for a blank one; the caller checks against Attune's diary.)"""
    if table is None:
        return []
    lead = {row.source_id: row.get("practitioner") for row in plan.new.get("episodes", [])}
    busy: dict[str, list[tuple[dt.datetime, dt.datetime, Row, bool]]] = defaultdict(list)
    for row in plan.new.get("appointments", []):
        start = appointment_start(row)
        who = row.get("practitioner") or lead.get(row.get("episode", ""))
        if start is not None and who:
            busy[who].append((start, start + dt.timedelta(minutes=row.get("minutes", 60)), row, True))
    problems = []
    for who, intervals in busy.items():
        for row, other in overlapping(intervals):
            problems.append(
                Problem(
                    table.name,
                    row.number,
                    "Start time",
                    f"{who} has another appointment at this time (row {other.number})",
                    "Check the date and time of both appointments",
                )
            )
    return problems


def appointment_start(row: Row) -> dt.datetime | None:
    day, start = row.get("date"), row.get("start")
    return dt.datetime.combine(day, start) if day and start else None


def summarise(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    """How many rows of each sheet and column need each kind of mending, most first, with the
    first row's problem as an example: what a report of 10,000 rows leads with. The mending
    says the kind without a row's particulars ("Write dates as day/month/year ...")."""
    counted = Counter((p.sheet, p.column, p.fix) for p in problems)
    example: dict[tuple[str, str, str], str] = {}
    for p in problems:
        example.setdefault((p.sheet, p.column, p.fix), p.problem)
    return [
        {"sheet": sheet, "column": column, "fix": fix, "example": example[sheet, column, fix], "count": count}
        for (sheet, column, fix), count in counted.most_common()
    ]
