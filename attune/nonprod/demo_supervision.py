"""The demo's clinical supervision: each clinician's experience and hours, and a year of
supervision history relative to today. Helen Okafor gives weekly group supervision to the two
satellite trainees (Aisha Begum and Megan Riley) from the satellite's start, with a few gaps,
and fortnightly individual supervision to Tom Whitaker. Last week Megan was away, so she is
overdue now and Aisha is due; the last group session discussed one of Aisha's families and left
her an open action (with its task). Loading again changes nothing."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode
from attune.core.actors import Actor
from attune.core.clocks import add_years
from attune.nonprod import scenario
from attune.nonprod.actors import DEMO, demo_actor
from attune.supervision import services
from attune.supervision.models import (
    ClinicalExperience,
    SessionAttendee,
    SessionFormat,
    SessionKind,
    SupervisionSession,
)
from attune.supervision.services import ActionInput

# When each clinician's experience with under-2s began: the trainees from their posts, Tom and
# Helen long before (so Tom needs supervision fortnightly). Trainees loaded more than 2 years after
# their posts began count from 2 years ago instead, so they stay on the weekly standard (under 3
# years' experience) whatever day the demo is loaded.
TRAINEES_AT_MOST_YEARS = 2
EXPERIENCE = {
    "trainee_1": (scenario.SATELLITE_START, Decimal("37.5")),
    "trainee_2": (scenario.SATELLITE_START, Decimal("37.5")),
    "practitioner": (dt.date(2016, 9, 1), Decimal("37.5")),
    "supervisor": (dt.date(2008, 4, 1), Decimal("30.0")),
}
GROUP_WEEKDAY = 1  # Tuesday
INDIVIDUAL_WEEKDAY = 3  # Thursday
HISTORY = dt.timedelta(days=365)


def _weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _session(supervisor: User, people: list[User], held_on: dt.date, kind: str, minutes: int) -> None:
    session = SupervisionSession.objects.create(
        supervisor=supervisor,
        kind=kind,
        format=SessionFormat.IN_PERSON if held_on.isocalendar().week % 2 else SessionFormat.VIDEO,
        held_on=held_on,
        duration_minutes=minutes,
        recorded_by=supervisor,
        created_at=timezone.make_aware(dt.datetime.combine(held_on, dt.time(16))),
    )
    SessionAttendee.objects.bulk_create(SessionAttendee(session=session, supervisee=p) for p in people)


@transaction.atomic
def load(*, users: dict[str, User], today: dt.date | None = None) -> int:
    """Returns how many sessions were made (none when the history is already there)."""
    today = today or timezone.localdate()
    for key, (since, hours) in EXPERIENCE.items():
        if key.startswith("trainee"):
            since = max(since, add_years(today, -TRAINEES_AT_MOST_YEARS))
        if not ClinicalExperience.objects.filter(practitioner=users[key]).exists():
            services.set_experience(actor=Actor.system(DEMO), practitioner=users[key], since=since, weekly_hours=hours)
    helen, tom = users["supervisor"], users["practitioner"]
    aisha, megan = users["trainee_1"], users["trainee_2"]
    if SupervisionSession.objects.filter(supervisor=helen).exists():
        return 0
    made = 0
    this_week = today - dt.timedelta(days=today.weekday())
    last_week = this_week - dt.timedelta(days=7)
    # Weekly group supervision for the trainees, up to the week before last; every ninth week
    # missed (leave, sickness) as real diaries are.
    start = _weekday_on_or_after(max(scenario.SATELLITE_START, today - HISTORY), GROUP_WEEKDAY)
    day, week = start, 0
    while day < last_week:
        if week % 9 != 8:
            _session(helen, [aisha, megan], day, SessionKind.GROUP, 75)
            made += 1
        day += dt.timedelta(days=7)
        week += 1
    # Fortnightly individual supervision for Tom, to this fortnight (so he is on track).
    day = _weekday_on_or_after(today - HISTORY, INDIVIDUAL_WEEKDAY)
    while day <= today:
        _session(helen, [tom], day, SessionKind.INDIVIDUAL, 60)
        made += 1
        day += dt.timedelta(days=14)
    # Last week's group: Megan away; one of Aisha's families discussed; an action left open.
    held_on = last_week + dt.timedelta(days=GROUP_WEEKDAY)
    family = Episode.objects.open().on_caseload_of(aisha).order_by("opened_at").first()
    services.record_session(
        actor=demo_actor(helen),
        supervisees=[aisha],
        kind=SessionKind.GROUP,
        format=SessionFormat.VIDEO,
        held_on=held_on,
        duration_minutes=60,
        notes="Megan on leave. Thought together about endings and about a baby who looks away during play.",
        episodes=[family] if family else [],
        summaries={family.pk: "Baby looks away in play; mum reads it as rejection."} if family else {},
        actions=[
            ActionInput(
                description="Offer video interaction guidance to look at the looking-away moments together",
                owner=aisha,
                due_on=today + dt.timedelta(days=7),
            )
        ],
    )
    return made + 1


def load_for_scenario() -> int:
    """Load the supervision demo onto the scenario `scenario.load()` has just loaded."""
    users = {person.key: User.objects.get(email=person.email) for person in scenario.PEOPLE}
    return load(users=users)
