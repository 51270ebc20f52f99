"""What the search page shows, built from what the queries fetched, without the database: what
was searched by, each family found (babies, carers, team, where the family is, flags) and the
words around the results."""

import uuid
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils.html import conditional_escape
from markupsafe import Markup

from attune.core.clocks import age_in_years
from attune.core.formatting import date_long, nhs_number, plural
from attune.core.rows import SummaryRow
from attune.families.models import Carer, Family, Infant
from attune.families.naming import title_of
from attune.families.presenters import BR, baby_age, tag_html
from attune.referrals.workflow import OPEN, Status
from attune.search import query as queries
from attune.search.queries import Whereabouts
from attune.search.summary_list import summary_list_html

LABEL = "Search for a family"
HINT = "Enter a name, NHS number, date of birth or due date, postcode, phone number or referral reference"
TIPS = [
    "check the spelling, or enter only the family name",
    "search by NHS number, date of birth or due date, or postcode instead",
    "add a date of birth or postcode to a name, like Ashworth 12/3/2025",
]
SCOPE_NOTE = "You can only find families in the teams you work with."
# The classes of each result's summary list (search.jinja passes the same to the macro).
RESULT_LIST_CLASSES = "nhsuk-summary-list--no-border nhsuk-u-margin-bottom-0"


def described(query: queries.Query) -> str:
    """'Searching by NHS number 943 476 5919': what the search ran as, in words."""
    if query.kind == queries.NHS_NUMBER:
        return f"Searching by NHS number {nhs_number(query.nhs_number)}"
    if query.kind == queries.PHONE:
        return f"Searching by phone number {query.phone}"
    if query.kind == queries.REFERENCE:
        return f"Searching by referral reference {query.reference}"
    parts = []
    if query.kind == queries.NAME:
        parts.append("name")
    if query.dates:
        parts.append("date of birth or due date " + " or ".join(date_long(day) for day in query.dates))
    if query.postcode:
        parts.append(
            f"postcode area {query.postcode.strip()}" if query.postcode_is_prefix else f"postcode {query.postcode}"
        )
    return "Searching by " + " and ".join(parts) if parts else ""


def _carer_line(carer: Carer, today: date) -> str:
    words = [carer.full_name or "Name not given", f"({carer.get_relationship_display().lower()})"]
    line = " ".join(words)
    if carer.date_of_birth is not None:
        line += f", {plural(age_in_years(carer.date_of_birth, today), 'year', 'years')} old"
    if carer.former_names:
        line += f", formerly {', '.join(carer.former_names)}"
    return line


def _baby_line(infant: Infant, today: date) -> str:
    name = infant.full_name if infant.is_born or not infant.full_name else f"{infant.full_name} (unborn)"
    if not infant.is_born and not infant.given_name:
        name = "Unborn baby"
    elif not name:
        name = "Baby (name not given)"
    line = (
        f"{name}, {baby_age(infant, today)}" if infant.is_born else f"{name}, due {date_long(infant.expected_due_date)}"
    )
    if infant.former_names:
        line += f", formerly {', '.join(infant.former_names)}"
    return line


def where_lines(where: Whereabouts) -> list[str]:
    """Where the family is now: on a caseload (whose), a referral waiting for triage or for more
    information, the waiting list; else discharged, or what became of its last referral."""
    lines = []
    for episode in where.episodes:
        if episode.is_open:
            lines.append(
                f"On the caseload of {episode.lead}" if episode.lead else "On a caseload (no lead practitioner)"
            )
    for referral in where.referrals:
        if referral.has_episode:
            continue
        if referral.status in OPEN:
            waiting = "for more information" if referral.status == Status.AWAITING_INFORMATION else "for triage"
            lines.append(f"Referral {referral.reference} waiting {waiting}")
        elif referral.status == Status.ACCEPTED:
            lines.append(f"On the waiting list (referral {referral.reference})")
    if lines:
        return lines
    discharged = [episode for episode in where.episodes if episode.discharged_at is not None]
    if discharged:
        latest = max(episode.discharged_at for episode in discharged if episode.discharged_at is not None)
        return [f"Discharged on {date_long(latest)}"]
    if where.referrals:
        last = where.referrals[-1]
        return [f"Referral {last.reference}: {Status(last.status).label}"]
    return ["No referral recorded"]


def flag_names(family: Family) -> list[str]:
    """Active safeguarding flags and risk alerts, by name only."""
    flags = [f"Safeguarding: {flag.get_kind_display().lower()}" for flag in getattr(family, "active_flags", [])]
    alerts = [f"Risk alert: {alert.message}" for alert in getattr(family, "active_alerts", [])]
    return flags + alerts


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    rows: list[SummaryRow]
    flags: list[str] = field(default_factory=list)
    # The rows drawn (attune/search/summary_list.py); None: the template's macro draws them.
    rows_html: Markup | None = None


def _lines_html(lines: list[str]) -> dict[str, str]:
    """One line each (a baby, a carer) in one summary-list value."""
    return {"html": BR.join(conditional_escape(line) for line in lines)}


def result(family: Family, infants: list[Infant], carers: list[Carer], where: Whereabouts, today: date) -> Result:
    """One family found: its name (a link to its record), babies, carers, team, whereabouts and flags."""
    rows: list[SummaryRow] = [
        {
            "key": {"text": "Baby" if len(infants) == 1 else "Babies and children"},
            "value": _lines_html([_baby_line(infant, today) for infant in infants] or ["None recorded"]),
        },
        {
            "key": {"text": "Parents and carers"},
            "value": _lines_html([_carer_line(carer, today) for carer in carers] or ["None recorded"]),
        },
        {"key": {"text": "Team"}, "value": {"text": family.team.name}},
        {"key": {"text": "Where the family is"}, "value": _lines_html(where_lines(where))},
    ]
    flags = flag_names(family)
    if flags:
        rows.append(
            {
                "key": {"text": "Flags"},
                "value": {"html": "".join(tag_html(name, "red") + " " for name in flags).strip()},
            }
        )
    return Result(
        title=title_of(infants, carers),
        url=reverse("families:family", args=[family.pk]),
        rows=rows,
        flags=flags,
        rows_html=summary_list_html(rows, RESULT_LIST_CLASSES),
    )


@dataclass(frozen=True)
class Page:
    """The search page: the form (keeping what was typed), what ran, and the results."""

    typed: str = ""
    searched: bool = False
    problem: str = ""
    description: str = ""
    results: list[Result] = field(default_factory=list)
    more: bool = False
    limit: int = 25
    total: int = 0  # families that matched in all, when more than the limit

    @property
    def heading(self) -> str:
        return "Search results" if self.searched and not self.problem else LABEL

    @property
    def matched(self) -> int:
        """How many families matched: at least one more than shown when there were more."""
        return max(self.total, len(self.results) + self.more)

    @property
    def summary(self) -> str:
        """'2 families found for "Ashworth"', or what to do when there are too many."""
        if not self.searched or self.problem:
            return ""
        if not self.results:
            return f"No families found for ‘{self.typed}’"
        if self.more:
            return (
                f"Showing the first {self.limit} of {self.matched} families found for ‘{self.typed}’. "
                "Add a date of birth or postcode to narrow your search"
            )
        return f"{plural(len(self.results), 'family', 'families')} found for ‘{self.typed}’"


def page(
    *,
    typed: str,
    query: queries.Query | None,
    families: list[Family],
    where: dict[uuid.UUID, Whereabouts],
    more: bool,
    today: date,
    limit: int,
    total: int = 0,
) -> Page:
    if query is None:
        return Page()
    return Page(
        typed=typed,
        searched=True,
        problem=query.problem,
        description=described(query) if not query.problem else "",
        results=[
            result(family, list(family.infants.all()), list(family.carers.all()), where[family.pk], today)
            for family in families
        ],
        more=more,
        limit=limit,
        total=total,
    )
