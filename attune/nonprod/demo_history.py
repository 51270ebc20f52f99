"""The satellite's first months, as history: what Blackburn with Darwen Council's money bought.

The council pays for the satellite's two recruit-to-train posts from 1 November 2024 to 31 March
2025 (demo_commissioning), and its funder's return reports referrals, families seen, contacts,
completed episodes and outcomes over exactly those days. The rest of the demo is dated back from
today, so without this the return for those months would be empty. Here, on FIXED dates, the
satellite receives 22 referrals from November 2024 to March 2025 (health visitors, midwives, the
family hubs and parents themselves), triages each within its 5-working-day target (20 accepted,
2 signposted), and the team lead allocates the accepted families to the two trainees and their
supervisor. The families are seen at home or at the Blackburn and Darwen family hubs, weekly or
fortnightly, mostly attending; the trainees' notes are countersigned; most parents give
their measures at the start and again at review or discharge, and most improve. Most episodes
are completed by 31 March 2025; the later referrals carry on into the extension's spring and are
discharged by the summer of 2025, so nothing here is open, waiting or booked today.

The families, who referred them, and the consultation and training given are data
(nonprod/data/history.toml). Everything goes through the same actions the pages use, by way of the
referrals, care and outcomes demos' own machinery (demo_referrals.create and date_history,
demo_care.history and rooms, demo_outcomes.staff_measures), which then re-date what the actions
stamped "now" to the moment it stands for; audit events keep the moment the demo was loaded. A
family is made once, found by its referral's fixed reference (PIR-DEMO-2001...), so loading again
changes nothing. Loaded before that history has ended (a clock set back to 2025), it adds nothing:
it would be the future.

All people are synthetic: names drawn from attune/nonprod/names.py, NHS numbers from the 999 test
range, mobile numbers from Ofcom's drama range, postcodes from the demo's deprivation subset.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.care import services as care_services
from attune.care.codes import ContactKind, DischargeReason
from attune.care.models import Discharge, Episode, EpisodeEvent
from attune.core import clocks
from attune.nonprod import demo_care, demo_data, demo_outcomes, demo_referrals, names, scenario
from attune.nonprod.actors import demo_actor
from attune.nonprod.demo_care import DemoEpisode
from attune.nonprod.demo_outcomes import DemoMeasures, Totals
from attune.nonprod.demo_referrals import DemoCarer, DemoInfant, DemoReferral, Step
from attune.nonprod.synthetic import at
from attune.organisations.models import Team
from attune.referrals.codes import LevelOfNeed, Priority, ReferralSource
from attune.referrals.models import Referral
from attune.referrals.services import Referrer
from attune.referrals.workflow import Status
from attune.workforce import services as workforce_services
from attune.workforce.models import ActivityKind, NonCaseloadActivity

# The history's last day: the latest discharge. Loaded on an earlier day, nothing is made.
ENDS_ON = dt.date(2025, 8, 29)
REFERENCE = "PIR-DEMO-{:04d}"
FIRST_NUMBER = 2001
NHS_SERIALS = 5000  # clear of the other demo families' serials (100-399)
PHONES = 900600  # 07700 900600 onwards, clear of the other demo families'
LENGTH = dt.timedelta(hours=1)

# The satellite signposts to the family hub group the rest of the demo does.
SIGNPOSTED_TO = "Family Hub baby massage group (Blackburn family hub)"


@dataclass(frozen=True)
class HistoryFamily:
    """One family's history: when the referral came and from whom, who saw the family and how,
    for how long, how it ended and what the parent's measures were."""

    number: int
    source: ReferralSource
    received: dt.date
    triage_days: int  # working days from receipt to the decision (the target is 5)
    postcode: str
    town: str
    street: str
    stresses: tuple[str, ...]
    age_months: int  # the baby's age when referred
    lead: str = ""  # "" for a referral signposted at triage
    co_worker: str = ""
    kind: ContactKind = ContactKind.HOME_VISIT
    site: str = ""
    room: str = ""
    slot: tuple[int, int, int] = (0, 10, 0)  # weekday (0 = Monday), hour, minute
    every_weeks: int = 2  # fortnightly, as the satellite's trainees mostly saw families
    wait_days: int = 7  # working days from acceptance to allocation
    weeks: int = 16  # from allocation to discharge
    reason: DischargeReason = DischargeReason.COMPLETED
    # The parent's EPDS, PHQ-9, GAD-7 and PBQ totals at assessment, review and discharge (None
    # where not given: the file leaves that time point out); () means no measures recorded.
    measures: tuple[Totals, ...] = ()


@dataclass(frozen=True)
class HistoryReferrer:
    """Who referred the families from one source (a parent referring herself is her own referrer)."""

    source: ReferralSource
    name: str
    role: str
    organisation: str
    email: str


@dataclass(frozen=True)
class Session:
    """Consultation or training the satellite gave other professionals under the agreement."""

    held_on: dt.date
    kind: ActivityKind
    audience: str
    attendees: int
    topic: str
    hours: Decimal
    by: str


# The families, who referred them, the reasons and discharge summaries they were written from and
# the consultation and training given are data (nonprod/data/history.toml).
FAMILIES = demo_data.read("history", "family", HistoryFamily)
REFERRERS = {referrer.source: referrer for referrer in demo_data.read("history", "referrer", HistoryReferrer)}
REASONS: dict[str, str] = demo_data.document("history")["reasons"]
DISCHARGE_SUMMARIES: dict[str, str] = demo_data.document("history")["discharge_summaries"]
SESSIONS = demo_data.read("history", "session", Session)


# -- The families, drawn once ------------------------------------------------------------------


def _taken_names() -> set[str]:
    """Every name the other demo families use, so a search for one finds only that family."""
    plans = [*demo_referrals.REFERRALS, *(spec.plan for spec in demo_care.EPISODES)]
    taken = set()
    for plan in plans:
        taken |= {person.given_name for person in plan.carers} | {person.family_name for person in plan.carers}
        taken |= {infant.given_name for infant in plan.infants} | {infant.family_name for infant in plan.infants}
    return taken


def _draw_people() -> dict[int, tuple[str, str, str, str]]:
    """(carer's name, partner's name, family name, baby's name) for each family, from the names
    generator with a fixed seed, each name used once and none the other demo families use."""
    rng = names.Names(seed=2024_11_01)
    used = _taken_names()
    drawn: dict[int, tuple[str, str, str, str]] = {}

    def fresh(draw: Callable[[], str]) -> str:
        while True:
            name = draw()
            if name not in used:
                used.add(name)
                return name

    for family in FAMILIES:
        drawn[family.number] = (fresh(rng.carer), fresh(rng.partner), fresh(rng.surname), fresh(rng.baby))
    return drawn


PEOPLE = _draw_people()


def _working_days_after(day: dt.date, days: int) -> dt.date:
    return clocks.add_working_days(at(day, 12, 0), days).date()


def decided_on(family: HistoryFamily) -> dt.date:
    return _working_days_after(family.received, family.triage_days)


def opened_at(family: HistoryFamily) -> dt.datetime:
    return at(_working_days_after(decided_on(family), family.wait_days), 11, 30)


def discharged_on(family: HistoryFamily) -> dt.date:
    day = timezone.localdate(opened_at(family)) + dt.timedelta(weeks=family.weeks)
    while not clocks.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def plan_for(family: HistoryFamily) -> DemoReferral:
    """The referral and its family, in the shape the referrals demo makes them from; ages are
    counted back from the day of the triage decision (demo_referrals' "today")."""
    carer_name, partner_name, surname, baby = PEOPLE[family.number]
    serial = NHS_SERIALS + (family.number - FIRST_NUMBER) * 3
    phone = PHONES + (family.number - FIRST_NUMBER) * 2

    def carer(given_name: str, relationship: str, age_years: int, offset: int) -> DemoCarer:
        return DemoCarer(
            given_name=given_name,
            family_name=surname,
            relationship=relationship,
            age_years=age_years,
            phone=f"07700 {phone + offset}",
            nhs_serial=serial + 1 + offset,
        )

    carers = [carer(carer_name, "mother", 19 + family.number % 17, 0)]
    if family.number % 3 == 0:
        carers.append(carer(partner_name, "father", 22 + family.number % 15, 1))
    days_before = clocks.working_days_between(family.received, decided_on(family))
    infant = DemoInfant(
        family_name=surname,
        given_name=baby,
        age_months=family.age_months,
        age_days=family.number % 20,
        nhs_serial=serial,
    )
    if family.source == ReferralSource.SELF:
        referrer = Referrer(name=f"{carer_name} {surname}", role="Mother")
    else:
        found = REFERRERS[family.source]
        referrer = Referrer(name=found.name, role=found.role, organisation=found.organisation, email=found.email)
    if family.lead:
        step = Step(
            status=Status.ACCEPTED,
            working_days_ago=0,
            by="supervisor" if family.number % 2 else "coordinator",
            level_of_need=LevelOfNeed.DISTURBANCE if family.number % 4 == 1 else LevelOfNeed.DISTRESS,
            priority=Priority.ROUTINE,
            note="Accepted for assessment and parent-infant work with the satellite team.",
        )
    else:
        step = Step(
            status=Status.SIGNPOSTED,
            working_days_ago=0,
            by="coordinator",
            level_of_need=LevelOfNeed.STRESS,
            signposted_to=SIGNPOSTED_TO,
            note="Relationship going well; the family hub's groups will help with the isolation.",
        )
    return DemoReferral(
        reference=REFERENCE.format(family.number),
        team="satellite",
        kind="self" if family.source == ReferralSource.SELF else "professional",
        source=family.source,
        referrer=referrer,
        reason=REASONS[family.stresses[0]].format(carer=carer_name, infant=baby),
        received_working_days_ago=days_before,
        infants=(infant,),
        carers=tuple(carers),
        address_line_1=family.street,
        town=family.town,
        postcode=family.postcode,
        stresses=family.stresses,
        steps=(step,),
    )


def episode_for(family: HistoryFamily) -> DemoEpisode:
    """The shape the care demo works a caseload from: the family's slot, kind of contact, goals."""
    baby = PEOPLE[family.number][3]
    return DemoEpisode(
        plan=plan_for(family),
        lead=family.lead,
        interventions=(_INTERVENTIONS[family.number % len(_INTERVENTIONS)],),
        opened_weeks_ago=0,
        kind=family.kind,
        slot=family.slot,
        every_weeks=family.every_weeks,
        co_worker=family.co_worker,
        site=family.site,
        room=family.room,
        goals=(f"To understand what {baby} needs when {baby} cries", "To enjoy playing together"),
    )


_INTERVENTIONS = (
    "watch-wait-wonder",
    "video-interaction-guidance",
    "parent-infant-psychotherapy",
    "circle-of-security",
)


def measures_for(family: HistoryFamily) -> DemoMeasures:
    totals = list(family.measures)
    if family.measures and family.age_months <= 20:
        # The baby's withdrawal scale at the start and review, well below its alert level.
        totals.append(Totals("ADBB", 3, 1))
    return DemoMeasures(reference=REFERENCE.format(family.number), totals=tuple(totals))


# -- Loading -----------------------------------------------------------------------------------


def _discharge(ctx: demo_care.Context, family: HistoryFamily, spec: DemoEpisode, episode: Episode) -> None:
    carer, infant = spec.plan.carers[0].given_name, spec.plan.infants[0].given_name
    discharge = care_services.discharge_episode(
        actor=demo_actor(ctx.users[spec.lead], episode.team),
        episode=episode,
        reason=family.reason,
        summary=DISCHARGE_SUMMARIES[family.reason].format(carer=carer, infant=infant),
    )
    moment = at(discharged_on(family), 16, 0)
    Discharge.objects.filter(pk=discharge.pk).update(discharged_at=moment, created_at=moment)
    EpisodeEvent.objects.filter(episode=episode, kind=EpisodeEvent.Kind.DISCHARGED).update(at=moment)
    Episode.objects.filter(pk=episode.pk).sync_last_event()


def _family(family: HistoryFamily, teams: dict[str, Team], users: dict[str, User], rooms: dict) -> None:
    spec = episode_for(family)
    decided = decided_on(family)
    referral = demo_referrals.create(spec.plan, teams["satellite"], users, decided)
    demo_referrals.date_history(referral, spec.plan, decided)
    if not family.lead:
        return
    opened = opened_at(family)
    ended = discharged_on(family)
    # The care demo's clock stands at the morning of the discharge: every contact before it
    # has happened and been written up, and the last trainee note countersigned.
    ctx = demo_care.Context(
        teams=teams, users=users, rooms=rooms, today=ended - dt.timedelta(days=1), now=at(ended, 9, 0)
    )
    episode = demo_care.allocate_on(ctx, spec, referral, opened)
    demo_care.history(ctx, spec, episode, opened)
    _discharge(ctx, family, spec, episode)
    if family.measures:
        now = timezone.now()
        demo_outcomes.staff_measures(
            demo_outcomes.Context(today=timezone.localdate(now), now=now),
            measures_for(family),
            episode,
            users[family.lead],
        )


def _sessions(team: Team, users: dict[str, User]) -> None:
    done = set(NonCaseloadActivity.objects.filter(team=team).values_list("held_on", "topic"))
    for session in SESSIONS:
        if (session.held_on, session.topic) in done:
            continue
        workforce_services.record_activity(
            actor=demo_actor(users[session.by], team),
            team=team,
            kind=session.kind,
            held_on=session.held_on,
            audience=session.audience,
            attendees=session.attendees,
            topic=session.topic,
            hours=session.hours,
        )


@transaction.atomic
def load(*, teams: dict[str, Team], users: dict[str, User]) -> list[Referral]:
    """Make each family's history once; returns the history's referrals (none before it ends)."""
    if timezone.localdate() <= ENDS_ON:
        return []
    _sessions(teams["satellite"], users)
    rooms = demo_care.rooms(teams)
    made = set(
        Referral.objects.filter(reference__in=[REFERENCE.format(f.number) for f in FAMILIES]).values_list(
            "reference", flat=True
        )
    )
    for family in FAMILIES:
        if REFERENCE.format(family.number) not in made:
            _family(family, teams, users, rooms)
    return list(Referral.objects.filter(reference__in=[REFERENCE.format(f.number) for f in FAMILIES]))


def load_for_scenario() -> list[Referral]:
    """Load the satellite's history onto the scenario, after the money (demo_commissioning)."""
    found = scenario.teams()
    teams = {"hub": found[0], "satellite": found[1]}
    users = {person.key: User.objects.get(email=person.email) for person in scenario.PEOPLE}
    return load(teams=teams, users=users)
