"""The demo's care pathway: capacities, rooms, episodes with months of history, and a diary for
the coming three weeks, for the hub and the satellite. The families and their stories, the
capacities, rooms and note lines are data (nonprod/data/episodes.toml); this module applies them.

Ten more families are referred and accepted (through `demo_referrals`' machinery, so their
referral history is what the real journey writes), then allocated by the team lead and worked
through the care actions: `allocate_episode`, `book_appointment`, `record_attendance`,
`save_note`, `sign_note`, `countersign_note`, `add_goal`, `rate_goal`, `discharge_episode`,
`check_in`. The families already on the demo's waiting list (two per team) are left waiting.

The actions stamp "now"; the demo then re-dates what they wrote (opened, recorded, signed,
discharged) to the past moment it stands for, as `demo_referrals` does for triage. Audit events
keep the moment the demo was loaded: the audit log is never rewritten.

Loading is idempotent: an episode is found by its referral's fixed reference and its history is
made once. On every load the diary is topped up to three weeks ahead (slots already booked are
left alone), and there is one home visit under way today, checked in (Tom Whitaker's, unless his
diary is full just then); a demo visit from an earlier day still checked in is checked out.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.care import services
from attune.care.codes import MISSED, Attendance, ContactKind, DischargeReason
from attune.care.models import (
    Appointment,
    Discharge,
    Episode,
    EpisodeEvent,
    EpisodeWorker,
    Goal,
    GoalRating,
    Intervention,
    Note,
    PractitionerCapacity,
    Room,
)
from attune.core import clocks
from attune.core.models import Task, TaskKind
from attune.nonprod import demo_data, demo_referrals, scenario
from attune.nonprod.actors import demo_actor
from attune.nonprod.demo_referrals import DemoReferral
from attune.nonprod.synthetic import at, working_days_before
from attune.organisations.models import Site, Team
from attune.referrals.codes import LevelOfNeed, Priority
from attune.referrals.models import Referral
from attune.referrals.workflow import Status

DIARY_DAYS = 21
LENGTH = dt.timedelta(hours=1)


@dataclass(frozen=True)
class DemoEpisode:
    plan: DemoReferral
    lead: str
    interventions: tuple[str, ...]
    opened_weeks_ago: int
    kind: str
    # Weekday (0 = Monday), hour, minute: the family's regular slot.
    slot: tuple[int, int, int]
    every_weeks: int = 1
    co_worker: str = ""
    site: str = ""
    room: str = ""
    goals: tuple[str, ...] = ()
    # "discharged", "missed_twice" (the last two contacts missed), "countersign" (the trainee's
    # latest note waits for the supervisor) or "" (ongoing).
    story: str = ""
    discharged_weeks_ago: int = 0
    level_of_need: str = LevelOfNeed.DISTRESS
    priority: str = Priority.ROUTINE
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class DemoCapacity:
    team: str
    person: str
    contracted_hours: Decimal
    max_weighted_caseload: Decimal


# The families on the caseloads, each person's caseload, the sites' rooms and the lines notes are
# written from are data (nonprod/data/episodes.toml).
EPISODES = demo_data.read("episodes", "episode", DemoEpisode)
CAPACITIES = demo_data.read("episodes", "capacity", DemoCapacity)
ROOMS: dict[str, list[str]] = demo_data.document("episodes")["rooms"]
NOTE_LINES: list[str] = demo_data.document("episodes")["notes"]["lines"]
DISCHARGE_SUMMARY: str = demo_data.document("episodes")["notes"]["discharge_summary"]


# -- Loading ----------------------------------------------------------------------------------


def _capacities(teams: dict[str, Team], users: dict[str, User]) -> None:
    for capacity in CAPACITIES:
        team, user = teams[capacity.team], users[capacity.person]
        if not PractitionerCapacity.objects.filter(team=team, practitioner=user).exists():
            services.set_capacity(
                actor=demo_actor(users["team_lead"], team),
                team=team,
                practitioner=user,
                contracted_hours=capacity.contracted_hours,
                max_weighted_caseload=capacity.max_weighted_caseload,
            )


def rooms(teams: dict[str, Team]) -> dict[tuple[str, str], Room]:
    """The demo's rooms at the teams' sites, by (site, room) name, made where missing."""
    found = {}
    for site in Site.objects.filter(team__in=teams.values(), name__in=ROOMS):
        for name in ROOMS[site.name]:
            found[site.name, name] = Room.objects.get_or_create(site=site, name=name)[0]
    return found


def _slots(spec: DemoEpisode, opened_on: dt.date, first: dt.date, last: dt.date) -> Iterator[dt.datetime]:
    """The family's regular slot from the week after it opened, on each working day it falls
    between `first` and `last` (fortnightly slots keep their rhythm from the opening)."""
    weekday, hour, minute = spec.slot
    start = opened_on + dt.timedelta(days=1)
    day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    week = 0
    while day <= last:
        if day >= first and week % spec.every_weeks == 0 and clocks.is_working_day(day):
            yield at(day, hour, minute)
        day += dt.timedelta(weeks=1)
        week += 1


def _attendance(index: int, total: int, story: str) -> str:
    """Mostly attended; now and then late, missed or cancelled, never two missed in a row
    except in the story that shows the review task."""
    if story == "missed_twice":
        return Attendance.DID_NOT_ATTEND if index >= total - 2 else Attendance.ATTENDED
    if index % 8 == 5:
        return Attendance.DID_NOT_ATTEND
    if index % 9 == 7:
        return Attendance.CANCELLED_BY_FAMILY
    if index % 7 == 2:
        return Attendance.LATE_SEEN
    return Attendance.ATTENDED


@dataclass
class Context:
    """What the care demo works from: the teams, people and rooms, and the day and moment it
    stands at."""

    teams: dict[str, Team]
    users: dict[str, User]
    rooms: dict[tuple[str, str], Room]
    today: dt.date
    now: dt.datetime


def _book(ctx: Context, spec: DemoEpisode, episode: Episode, starts_at: dt.datetime) -> Appointment | None:
    lead = ctx.users[spec.lead]
    site = Site.objects.get(team__service=episode.team.service, name=spec.site) if spec.site else None
    try:
        return services.book_appointment(
            actor=demo_actor(lead, episode.team),
            episode=episode,
            kind=spec.kind,
            starts_at=starts_at,
            ends_at=starts_at + LENGTH,
            practitioner=lead,
            second_practitioner=ctx.users[spec.co_worker] if spec.co_worker else None,
            site=site,
            room=ctx.rooms[spec.site, spec.room] if spec.room else None,
        )
    except services.CareError:
        # Someone (a demo user, or today's visit) has that time already: the family skips a week.
        return None


def _note_text(spec: DemoEpisode, index: int) -> str:
    carer, infant = spec.plan.carers[0].given_name, spec.plan.infants[0].given_name
    return NOTE_LINES[index % len(NOTE_LINES)].format(carer=carer, infant=infant)


def history(ctx: Context, spec: DemoEpisode, episode: Episode, opened: dt.datetime) -> None:
    """Record the episode's past up to `ctx.now`: contacts, notes, goals, countersigning (and discharge)."""
    team = episode.team
    lead = ctx.users[spec.lead]
    as_lead = demo_actor(lead, team)
    supervisor = ctx.users["supervisor"]
    end = ctx.today - dt.timedelta(weeks=spec.discharged_weeks_ago, days=1) if spec.story == "discharged" else None
    # Everything that has ended by now is history, recorded; the rest of today is the diary's.
    opened_on = timezone.localdate(opened)
    past = [s for s in _slots(spec, opened_on, opened_on, ctx.today) if s + LENGTH <= ctx.now]
    if end is not None:
        past = [s for s in past if s.date() <= end]
    carer = episode.carers.order_by("-is_main_contact", "created_at").first()
    goals = []
    if carer is not None:
        for description in spec.goals:
            goal = services.add_goal(actor=as_lead, episode=episode, carer=carer, description=description)
            Goal.objects.filter(pk=goal.pk).update(created_at=past[0] if past else opened)
            goals.append(goal)
    attended = 0
    awaiting: Note | None = None
    for index, starts_at in enumerate(past):
        appointment = _book(ctx, spec, episode, starts_at)
        if appointment is None:
            continue
        code = _attendance(index, len(past), spec.story)
        services.record_attendance(
            actor=as_lead,
            appointment=appointment,
            attendance=code,
            infants=episode.infants.all(),
            carers=episode.carers.all(),
        )
        recorded = min(starts_at + LENGTH + dt.timedelta(minutes=20), ctx.now)
        Appointment.objects.filter(pk=appointment.pk).update(attendance_recorded_at=recorded)
        if code in MISSED or code == Attendance.CANCELLED_BY_FAMILY:
            continue
        note = services.save_note(actor=as_lead, appointment=appointment, body=_note_text(spec, index))
        note = services.sign_note(actor=as_lead, note=note)
        signed = min(starts_at + LENGTH + dt.timedelta(hours=2), ctx.now)
        Note.objects.filter(pk=note.pk).update(created_at=recorded, signed_at=signed)
        if note.needs_countersignature:
            Task.objects.filter(kind=TaskKind.COUNTERSIGN_NOTE, about_id=str(note.pk)).update(created_at=signed)
            if awaiting is not None:
                _countersign(ctx, supervisor, awaiting)
            awaiting = note
        for goal_index, goal in enumerate(goals):
            if attended % 4 == 0:
                score = min(2 + goal_index + attended // 2, 9)
                rating = services.rate_goal(actor=as_lead, goal=goal, score=score, rated_on=starts_at.date())
                GoalRating.objects.filter(pk=rating.pk).update(created_at=signed)
        attended += 1
    if awaiting is not None and spec.story != "countersign":
        _countersign(ctx, supervisor, awaiting)
    if spec.story == "discharged":
        assert end is not None
        discharge = services.discharge_episode(
            actor=as_lead, episode=episode, reason=DischargeReason.COMPLETED, summary=DISCHARGE_SUMMARY
        )
        moment = at(end + dt.timedelta(days=1), 16, 0)
        Discharge.objects.filter(pk=discharge.pk).update(discharged_at=moment, created_at=moment)
        EpisodeEvent.objects.filter(episode=episode, kind=EpisodeEvent.Kind.DISCHARGED).update(at=moment)
        # The history moved in the table, not through append_event: the columns follow.
        Episode.objects.filter(pk=episode.pk).sync_last_event()


def _countersign(ctx: Context, supervisor: User, note: Note) -> None:
    team = note.appointment.episode.team
    services.countersign_note(actor=demo_actor(supervisor, team), note=note)
    signed = Note.objects.values_list("signed_at", flat=True).get(pk=note.pk)
    assert signed is not None
    countersigned = min(signed + dt.timedelta(days=3), ctx.now)
    Note.objects.filter(pk=note.pk).update(countersigned_at=countersigned)
    Task.objects.filter(kind=TaskKind.COUNTERSIGN_NOTE, about_id=str(note.pk)).update(closed_at=countersigned)


def _allocate(ctx: Context, spec: DemoEpisode, referral: Referral) -> tuple[Episode, dt.datetime]:
    opened = at(working_days_before(ctx.today, spec.opened_weeks_ago * 5), 11, 30)
    return allocate_on(ctx, spec, referral, opened), opened


def allocate_on(ctx: Context, spec: DemoEpisode, referral: Referral, opened: dt.datetime) -> Episode:
    """The team lead allocates the family, then the episode is put on the day it opened."""
    team = ctx.teams[spec.plan.team]
    episode = services.allocate_episode(
        actor=demo_actor(ctx.users["team_lead"], team),
        referral=referral,
        lead=ctx.users[spec.lead],
        co_worker=ctx.users[spec.co_worker] if spec.co_worker else None,
        interventions=list(Intervention.objects.filter(code__in=spec.interventions)),
        planned_review_on=(opened + dt.timedelta(weeks=12)).date(),
    )
    Episode.objects.filter(pk=episode.pk).update(opened_at=opened, created_at=opened)
    EpisodeEvent.objects.filter(episode=episode).update(at=opened)
    Episode.objects.filter(pk=episode.pk).sync_last_event()  # the columns follow the history
    EpisodeWorker.objects.filter(episode=episode).update(started_at=opened, created_at=opened)
    episode.refresh_from_db()
    return episode


def _diary(ctx: Context, spec: DemoEpisode, episode: Episode) -> None:
    """Book the family's slots from today to three weeks ahead, where not booked already."""
    if spec.story == "discharged" or not Episode.objects.open().filter(pk=episode.pk).exists():
        return
    booked = set(Appointment.objects.filter(episode=episode).values_list("starts_at", flat=True))
    opened_on = timezone.localdate(episode.opened_at)
    for starts_at in _slots(spec, opened_on, ctx.today, ctx.today + dt.timedelta(days=DIARY_DAYS)):
        if starts_at not in booked:
            _book(ctx, spec, episode, starts_at)


def _todays_visit(ctx: Context, episodes: dict[str, Episode]) -> None:
    """A home visit under way now, checked in: what the lone-working check watches. It goes to
    the first family seen at home whose practitioner is free now (the diary may be full)."""
    visits = Appointment.objects.filter(
        episode__in=episodes.values(),
        kind=ContactKind.HOME_VISIT,
        checked_in_at__isnull=False,
        checked_out_at__isnull=True,
    )
    midnight = at(ctx.today, 0, 0)
    for stale in visits.filter(starts_at__lt=midnight).select_related("practitioner", "episode__team"):
        services.check_out(actor=demo_actor(stale.practitioner, stale.episode.team), appointment=stale)
        Appointment.objects.filter(pk=stale.pk).update(checked_out_at=stale.ends_at)
    if visits.filter(starts_at__gte=midnight).exists():
        return
    local = timezone.localtime(ctx.now)
    on_the_five = local.replace(minute=local.minute - local.minute % 5, second=0, microsecond=0)
    at_home = [s for s in EPISODES if s.kind == ContactKind.HOME_VISIT and s.story != "discharged"]
    for spec in at_home:
        lead, episode = ctx.users[spec.lead], episodes[spec.plan.reference]
        actor = demo_actor(lead, episode.team)
        for minutes_ago in (30, 15, 45, 5, 55):
            starts_at = max(on_the_five - dt.timedelta(minutes=minutes_ago), midnight)
            try:
                visit = services.book_appointment(
                    actor=actor,
                    episode=episode,
                    kind=ContactKind.HOME_VISIT,
                    starts_at=starts_at,
                    ends_at=starts_at + LENGTH,
                    practitioner=lead,
                )
            except services.CareError:
                continue
            services.check_in(actor=actor, appointment=visit)
            checked_in = min(max(starts_at, ctx.now - dt.timedelta(minutes=minutes_ago - 5)), ctx.now)
            Appointment.objects.filter(pk=visit.pk).update(checked_in_at=checked_in)
            return


@transaction.atomic
def load(*, teams: dict[str, Team], users: dict[str, User]) -> list[Episode]:
    now = timezone.now()
    ctx = Context(teams=teams, users=users, rooms=rooms(teams), today=timezone.localdate(now), now=now)
    _capacities(teams, users)
    made: list[tuple[DemoEpisode, Episode, dt.datetime]] = []
    episodes: dict[str, Episode] = {}
    for spec in EPISODES:
        referral = Referral.objects.filter(reference=spec.plan.reference).first()
        if referral is None:
            referral = demo_referrals.create(spec.plan, teams[spec.plan.team], users, ctx.today)
            demo_referrals.date_history(referral, spec.plan, ctx.today)
        episode = Episode.objects.filter(referral=referral).first()
        if episode is None:
            episode, opened = _allocate(ctx, spec, referral)
            made.append((spec, episode, opened))
        episodes[spec.plan.reference] = episode
    # Today's visit first, so the regular diary books around it.
    _todays_visit(ctx, episodes)
    for spec, episode, opened in made:
        history(ctx, spec, episode, opened)
    for spec in EPISODES:
        _diary(ctx, spec, episodes[spec.plan.reference])
    return list(episodes.values())


def load_for_scenario() -> list[Episode]:
    """Load the care demo onto the scenario `scenario.load()` has just loaded."""
    teams = {"hub": scenario.teams()[0], "satellite": scenario.teams()[1]}
    emails = {person.key: person.email for person in scenario.PEOPLE}
    users = {key: User.objects.get(email=email) for key, email in emails.items()}
    return load(teams=teams, users=users)


# -- What was loaded --------------------------------------------------------------------------


@dataclass(frozen=True)
class CareSummary:
    team: str
    open_episodes: int
    discharged: int
    waiting: int
    diary: int


def summary(teams: list[Team]) -> list[CareSummary]:
    now = timezone.now()
    found = []
    for team in teams:
        accepted = [r for r in Referral.objects.filter(team=team).with_status() if r.current_status == Status.ACCEPTED]  # type: ignore[attr-defined]
        allocated = set(Episode.objects.filter(referral__in=accepted).values_list("referral_id", flat=True))
        found.append(
            CareSummary(
                team=team.name,
                open_episodes=Episode.objects.open().filter(team=team).count(),
                discharged=Episode.objects.discharged().filter(team=team).count(),
                waiting=sum(1 for r in accepted if r.pk not in allocated),
                diary=Appointment.objects.filter(
                    episode__team=team, starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=DIARY_DAYS)
                )
                .exclude(attendance__in=[Attendance.CANCELLED_BY_FAMILY, Attendance.CANCELLED_BY_SERVICE])
                .count(),
            )
        )
    return found
