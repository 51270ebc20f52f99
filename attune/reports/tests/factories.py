"""Hand-built data for the indicator tests: referrals with their status history, episodes,
contacts and discharges at chosen moments, and helpers to read a figure out of a report."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from attune.accounts.models import User
from attune.care.codes import ActivityLocationType, ConsultationMechanism, WorkerRole
from attune.care.models import Appointment, Discharge, Episode, EpisodeEvent, EpisodeWorker
from attune.care.services import append_event
from attune.care.tests.factories import intervention
from attune.families.codes import EthnicCategory, Relationship
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.models import Team
from attune.referrals.models import Referral
from attune.referrals.services import append_status
from attune.referrals.tests.factories import ReferralFactory
from attune.referrals.workflow import Status
from attune.reports.indicators import (
    caseload,
    contacts,
    episodes,
    equity,
    outcomes,
    referrals,
    risk,
    supervision,
    training,
)
from attune.reports.indicators.common import Context
from attune.reports.suppression import note_text
from attune.reports.tables import Note, ReportScope, Row, Section, Table

LONDON = ZoneInfo("Europe/London")
# Quarter 3 of 2025-26, and a day after it for "as at" measures.
START = dt.date(2025, 10, 1)
END = dt.date(2025, 12, 31)
TODAY = dt.date(2026, 1, 20)
MODULES = (referrals, caseload, contacts, episodes, outcomes, risk, supervision, training, equity)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def scope(*teams: Team, start: dt.date = START, end: dt.date = END, **narrowing: Any) -> ReportScope:
    return ReportScope(start=start, end=end, team_ids=frozenset(t.pk for t in teams), **narrowing)


def sections(covered: ReportScope, today: dt.date = TODAY) -> tuple[dict[str, Section], list[str], Context]:
    """Every section the indicators build (costs aside), by key, with the report's notes as the
    team reads them (exact)."""
    context = Context(scope=covered, today=today)
    found: dict[str, Section] = {}
    notes: list[str] = []
    for module in MODULES:
        section, more = module.section(context)
        found[section.key] = section
        notes.extend(exact(more))
    return found, notes, context


def exact(notes: "tuple[Note, ...] | list[Note]") -> list[str]:
    """Notes as the team's own page prints them (figures exact)."""
    return [note_text(note, None) for note in notes]


def table(covered: ReportScope, key: str, today: dt.date = TODAY) -> Table:
    found, _notes, _context = sections(covered, today)
    for section in found.values():
        for candidate in section.tables:
            if candidate.key == key:
                return candidate
    raise KeyError(key)


def row(found: Table, label: str) -> dict[str, Any]:
    for candidate in found.rows:
        if candidate.label == label:
            return candidate.values
    raise KeyError(f"{label} not in {[r.label for r in found.rows]}")


def column(found: Table, key: str) -> dict[str, Any]:
    """Row label -> the value in one column."""
    return {r.label: r.values[key] for r in found.rows}


def total(found: Table) -> dict[str, Any]:
    assert isinstance(found.total, Row)
    return found.total.values


def referral(
    team: Team,
    received: dt.datetime,
    *,
    history: tuple[tuple[Status, dt.datetime], ...] = (),
    postcode: str = "FY1 1AA",
    source: str = "A2",
    ethnicity: str = EthnicCategory.WHITE_BRITISH,
    relationship: str = Relationship.MOTHER,
    born: dt.date | None = dt.date(2025, 6, 1),
    due: dt.date | None = None,
    stresses: tuple[str, ...] = ("bonding",),
    **family: Any,
) -> Referral:
    """A referral received at `received`, then moved through `history` (status, when)."""
    home = FamilyFactory(team=team, postcode=postcode, **family)
    if born is not None or due is not None:
        InfantFactory(family=home, date_of_birth=born, expected_due_date=due)
    CarerFactory(family=home, ethnicity=ethnicity, relationship=relationship)
    made: Referral = ReferralFactory(
        family=home, team=team, received_at=received, source=source, stresses=list(stresses)
    )
    for status, when in history:
        append_status(referral=made, status=status, entered_at=when)
    return made


def episode(
    team: Team,
    lead: User,
    opened: dt.datetime,
    *,
    found: Referral | None = None,
    codes: tuple[str, ...] = ("parent-infant-psychotherapy",),
    **details: Any,
) -> Episode:
    """An episode allocated at `opened` from an accepted referral (received 30 days before)."""
    if found is None:
        found = referral(
            team,
            opened - dt.timedelta(days=30),
            history=((Status.ACCEPTED, opened - dt.timedelta(days=28)),),
            **details,
        )
    made = Episode.objects.create(
        referral=found,
        family=found.family,
        team=team,
        opened_at=opened,
        last_event_kind=EpisodeEvent.Kind.ALLOCATED,
        last_event_at=opened,
    )
    made.interventions.set([intervention(code) for code in codes])
    made.carers.set(found.family.carers.all())
    made.infants.set(found.family.infants.all())
    EpisodeWorker.objects.create(episode=made, practitioner=lead, role=WorkerRole.LEAD, started_at=opened)
    append_event(episode=made, kind=EpisodeEvent.Kind.ALLOCATED, at=opened, by=lead)
    return made


def contact(found: Episode, when: dt.datetime, attendance: str = "5") -> Appointment:
    lead = found.workers.first()
    assert lead is not None
    made: Appointment = Appointment.objects.create(
        episode=found,
        kind="home_visit",
        starts_at=when,
        ends_at=when + dt.timedelta(hours=1),
        practitioner=lead.practitioner,
        attendance=attendance,
        consultation_mechanism=ConsultationMechanism.FACE_TO_FACE,
        activity_location_type=ActivityLocationType.PATIENTS_HOME,
    )
    return made


def discharge(found: Episode, when: dt.datetime, reason: str = "completed") -> Discharge:
    lead = found.workers.first()
    assert lead is not None
    append_event(episode=found, kind=EpisodeEvent.Kind.DISCHARGED, at=when, by=lead.practitioner)
    made: Discharge = Discharge.objects.create(
        episode=found, reason=reason, summary="Work finished.", discharged_at=when, discharged_by=lead.practitioner
    )
    return made
