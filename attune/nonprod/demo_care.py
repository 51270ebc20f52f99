"""The demo's care pathway: capacities, rooms, episodes with months of history, and a diary for
the coming three weeks, for the hub and the satellite.

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
from attune.families.codes import ContactPreference, EthnicCategory, Relationship
from attune.nonprod import demo_referrals, scenario
from attune.nonprod.actors import demo_actor
from attune.nonprod.demo_referrals import NHS_MAIL, PARENT_MAIL, DemoCarer, DemoInfant, DemoReferral, Step
from attune.nonprod.synthetic import at, working_days_before
from attune.organisations.models import Site, Team
from attune.referrals.codes import LevelOfNeed, Priority, ReferralSource, Stress
from attune.referrals.models import Referral, ReferralKind
from attune.referrals.services import Referrer
from attune.referrals.workflow import Status

DIARY_DAYS = 21
LENGTH = dt.timedelta(hours=1)

# (team key, person key): contracted hours a week, maximum weighted caseload. Trainees carry a
# smaller caseload while they train; the hub supervisor is part-time in the hub and gives the
# satellite a day a fortnight.
CAPACITIES = {
    ("hub", "practitioner"): (Decimal("37.5"), Decimal("12.00")),
    ("hub", "supervisor"): (Decimal("22.5"), Decimal("6.00")),
    ("satellite", "trainee_1"): (Decimal("37.5"), Decimal("8.00")),
    ("satellite", "trainee_2"): (Decimal("37.5"), Decimal("8.00")),
    ("satellite", "supervisor"): (Decimal("7.5"), Decimal("2.00")),
}
ROOMS = {
    "Blackpool PAIRS clinic": ("Playroom", "Garden room"),
    "Blackburn family hub": ("Sunflower room", "Rainbow room", "Quiet room"),
    "Darwen family hub": ("Bluebell room", "Meadow room"),
}


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


def _family(
    reference: str,
    team: str,
    weeks_ago: int,
    *,
    source: str,
    referrer: Referrer,
    reason: str,
    infant: DemoInfant,
    carer: DemoCarer,
    address: str,
    town: str,
    postcode: str,
    stresses: tuple[str, ...],
    level_of_need: str = LevelOfNeed.DISTRESS,
    priority: str = Priority.ROUTINE,
    second_carer: DemoCarer | None = None,
) -> DemoReferral:
    """A referral accepted about two weeks before the family was allocated."""
    opened = weeks_ago * 5
    return DemoReferral(
        reference=reference,
        team=team,
        kind=ReferralKind.SELF if source == ReferralSource.SELF else ReferralKind.PROFESSIONAL,
        source=source,
        referrer=referrer,
        reason=reason,
        received_working_days_ago=opened + 18,
        infants=(infant,),
        carers=(carer, *([second_carer] if second_carer else [])),
        address_line_1=address,
        town=town,
        postcode=postcode,
        stresses=stresses,
        steps=(
            Step(
                Status.ACCEPTED,
                opened + 12,
                "team_lead" if priority == Priority.URGENT else "supervisor",
                level_of_need=level_of_need,
                priority=priority,
                note="Accepted for assessment and parent-infant work.",
            ),
        ),
    )


def _hv(name: str, place: str, phone: str) -> Referrer:
    email = name.lower().replace(" ", ".") + f"@{NHS_MAIL}"
    return Referrer(name=name, role="Health visitor", organisation=place, email=email, phone=phone)


BLACKPOOL_HV = "Blackpool Health Visiting Service"
BWD_HV = "Blackburn with Darwen 0-19 Service"

EPISODES: tuple[DemoEpisode, ...] = (
    # -- Hub ------------------------------------------------------------------------------
    DemoEpisode(
        plan=_family(
            "PIR-DEMO-0101",
            "hub",
            16,
            source=ReferralSource.HEALTH_VISITOR,
            referrer=_hv("Louise Dawson", BLACKPOOL_HV, "07700 900301"),
            reason="Mum finds it hard to settle Freddie and says she feels like a stranger to him.",
            infant=DemoInfant("Haworth", "Freddie", age_months=7, age_days=3, nhs_serial=301),
            carer=DemoCarer(
                "Chloe",
                "Haworth",
                Relationship.MOTHER,
                26,
                phone="07700 900302",
                nhs_serial=302,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
            address="14 Kingscote Drive",
            town="Blackpool",
            postcode="FY3 7TN",
            stresses=(Stress.PARENTAL_MENTAL_HEALTH, Stress.UNSETTLED),
        ),
        lead="practitioner",
        interventions=("parent-infant-psychotherapy",),
        opened_weeks_ago=16,
        kind=ContactKind.HOME_VISIT,
        slot=(0, 10, 0),
        goals=("To know what Freddie needs when he cries", "To enjoy bath time together"),
    ),
    DemoEpisode(
        plan=_family(
            "PIR-DEMO-0102",
            "hub",
            20,
            source=ReferralSource.GP,
            referrer=Referrer(
                name="Dr Sam Okoro", role="GP", organisation="Waterloo Medical Centre", email=f"sam.okoro@{NHS_MAIL}"
            ),
            reason="Dad is main carer since mum returned to work; he says he cannot read what Ava wants.",
            infant=DemoInfant("Mercer", "Ava", age_months=11, nhs_serial=303),
            carer=DemoCarer(
                "Liam",
                "Mercer",
                Relationship.FATHER,
                31,
                phone="07700 900304",
                email=f"liam.mercer@{PARENT_MAIL}",
                contact_preference=ContactPreference.EMAIL,
                nhs_serial=304,
            ),
            address="3 Marsden Road",
            town="Blackpool",
            postcode="FY4 3BZ",
            stresses=(Stress.RELATIONSHIP_CONCERNS,),
        ),
        lead="supervisor",
        interventions=("video-interaction-guidance",),
        opened_weeks_ago=20,
        kind=ContactKind.CLINIC,
        slot=(1, 10, 0),
        every_weeks=2,
        site="Blackpool PAIRS clinic",
        room="Playroom",
        goals=("To notice when Ava wants to play and when she has had enough",),
    ),
    DemoEpisode(
        plan=_family(
            "PIR-DEMO-0103",
            "hub",
            10,
            source=ReferralSource.MATERNITY,
            referrer=Referrer(
                name="Beth Ashworth",
                role="Perinatal mental health nurse",
                organisation="Lancashire perinatal mental health team",
                email=f"beth.ashworth@{NHS_MAIL}",
            ),
            reason="Traumatic birth; mum avoids holding Isla and has flashbacks at feeds.",
            infant=DemoInfant("Pennington", "Isla", age_months=4, age_days=10, nhs_serial=305),
            carer=DemoCarer(
                "Hannah",
                "Pennington",
                Relationship.MOTHER,
                29,
                phone="07700 900306",
                nhs_serial=306,
                phone_is_safe=False,
                email=f"hannah.p@{PARENT_MAIL}",
                safe_contact_note="Shared family phone: email only",
            ),
            address="22 Bispham Road",
            town="Blackpool",
            postcode="FY2 0NT",
            stresses=(Stress.BIRTH_TRAUMA, Stress.PARENTAL_MENTAL_HEALTH),
            level_of_need=LevelOfNeed.DISTURBANCE,
            priority=Priority.URGENT,
        ),
        lead="practitioner",
        co_worker="supervisor",
        interventions=("watch-wait-wonder",),
        opened_weeks_ago=10,
        kind=ContactKind.CLINIC,
        slot=(2, 14, 0),
        site="Blackpool PAIRS clinic",
        room="Garden room",
        level_of_need=LevelOfNeed.DISTURBANCE,
        goals=("To hold Isla at feeds without panicking", "To feel Isla is mine"),
    ),
    DemoEpisode(
        plan=_family(
            "PIR-DEMO-0104",
            "hub",
            28,
            source=ReferralSource.SELF,
            referrer=Referrer(name="Sophie Atherton", role="Mother"),
            reason="I shout when Jacob won't stop crying and then I feel awful. I want to do it differently.",
            infant=DemoInfant("Atherton", "Jacob", age_months=14, nhs_serial=307),
            carer=DemoCarer("Sophie", "Atherton", Relationship.MOTHER, 23, phone="07700 900308", nhs_serial=308),
            address="9 Layton Road",
            town="Blackpool",
            postcode="FY3 8ER",
            stresses=(Stress.ACES, Stress.POVERTY),
        ),
        lead="practitioner",
        interventions=("circle-of-security",),
        opened_weeks_ago=28,
        kind=ContactKind.VIDEO,
        slot=(3, 11, 0),
        every_weeks=2,
        story="discharged",
        discharged_weeks_ago=3,
        goals=("To stay calm when Jacob is upset",),
    ),
    DemoEpisode(
        plan=_family(
            "PIR-DEMO-0105",
            "hub",
            7,
            source=ReferralSource.HEALTH_VISITOR,
            referrer=_hv("Louise Dawson", BLACKPOOL_HV, "07700 900301"),
            reason="Young parents, baby Mason slow to gain weight; mum says he 'doesn't like her'.",
            infant=DemoInfant("Booth", "Mason", age_months=3, age_days=18, nhs_serial=309),
            carer=DemoCarer("Tia", "Booth", Relationship.MOTHER, 18, phone="07700 900310", nhs_serial=310),
            second_carer=DemoCarer("Kyle", "Naylor", Relationship.FATHER, 19, phone="07700 900311", nhs_serial=311),
            address="41 Grange Road",
            town="Blackpool",
            postcode="FY3 9QA",
            stresses=(Stress.YOUNG_PARENT, Stress.UNSETTLED),
            priority=Priority.SOON,
        ),
        lead="supervisor",
        interventions=("parent-infant-psychotherapy",),
        opened_weeks_ago=7,
        kind=ContactKind.HOME_VISIT,
        slot=(3, 14, 0),
        story="missed_twice",
        goals=("To feel Mason is pleased to see me",),
    ),
    DemoEpisode(
        plan=_family(
            "PIR-DEMO-0106",
            "hub",
            3,
            source=ReferralSource.HEALTH_VISITOR,
            referrer=_hv("Nadia Hussain", BLACKPOOL_HV, "07700 900312"),
            reason="Mum is very anxious about Poppy's crying and checks on her through the night.",
            infant=DemoInfant("Greenwood", "Poppy", age_months=2, age_days=20, nhs_serial=312),
            carer=DemoCarer("Amy", "Greenwood", Relationship.MOTHER, 34, phone="07700 900313", nhs_serial=313),
            address="7 Cherry Tree Road",
            town="Blackpool",
            postcode="FY4 4NS",
            stresses=(Stress.PARENTAL_MENTAL_HEALTH,),
        ),
        lead="practitioner",
        interventions=("assessment",),
        opened_weeks_ago=3,
        kind=ContactKind.VIDEO,
        slot=(4, 10, 0),
    ),
    # -- Satellite ----------------------------------------------------------------------------
    DemoEpisode(
        plan=_family(
            "PIR-DEMO-0201",
            "satellite",
            14,
            source=ReferralSource.HEALTH_VISITOR,
            referrer=_hv("Fatima Patel", BWD_HV, "07700 900321"),
            reason="Mum low since the birth, little eye contact with Maryam; the family hub worker noticed at baby group.",
            infant=DemoInfant(
                "Akhtar", "Maryam", age_months=6, nhs_serial=321, ethnicity=EthnicCategory.ASIAN_PAKISTANI
            ),
            carer=DemoCarer(
                "Sana",
                "Akhtar",
                Relationship.MOTHER,
                27,
                phone="07700 900322",
                nhs_serial=322,
                ethnicity=EthnicCategory.ASIAN_PAKISTANI,
            ),
            address="18 Whalley Range",
            town="Blackburn",
            postcode="BB1 6DZ",
            stresses=(Stress.PARENTAL_MENTAL_HEALTH, Stress.ISOLATION),
        ),
        lead="trainee_1",
        interventions=("parent-infant-psychotherapy",),
        opened_weeks_ago=14,
        kind=ContactKind.FAMILY_HUB,
        slot=(0, 13, 30),
        site="Blackburn family hub",
        room="Sunflower room",
        story="countersign",
        goals=("To enjoy looking at Maryam and talking to her", "To go to baby group on my own"),
    ),
    DemoEpisode(
        plan=_family(
            "PIR-DEMO-0202",
            "satellite",
            12,
            source=ReferralSource.SOCIAL_SERVICES,
            referrer=Referrer(
                name="Gemma Holt",
                role="Social worker",
                organisation="Blackburn with Darwen Children's Services",
                email=f"gemma.holt@{NHS_MAIL}",
            ),
            reason="Child in need plan; mum left a violent relationship and Leo startles at raised voices.",
            infant=DemoInfant("Walsh", "Leo", age_months=10, nhs_serial=323),
            carer=DemoCarer("Kirsty", "Walsh", Relationship.MOTHER, 30, phone="07700 900324", nhs_serial=324),
            address="6 Audley Range",
            town="Blackburn",
            postcode="BB1 1TE",
            stresses=(Stress.DOMESTIC_ABUSE,),
            level_of_need=LevelOfNeed.DISTURBANCE,
            priority=Priority.URGENT,
        ),
        lead="trainee_2",
        interventions=("watch-wait-wonder",),
        opened_weeks_ago=12,
        kind=ContactKind.HOME_VISIT,
        slot=(1, 10, 0),
        level_of_need=LevelOfNeed.DISTURBANCE,
        goals=("To help Leo feel safe at home",),
    ),
    DemoEpisode(
        plan=_family(
            "PIR-DEMO-0203",
            "satellite",
            8,
            source=ReferralSource.HEALTH_VISITOR,
            referrer=_hv("Fatima Patel", BWD_HV, "07700 900321"),
            reason="Dad is main carer while mum recovers from surgery; he worries he and Maisie are not close.",
            infant=DemoInfant("Entwistle", "Maisie", age_months=13, nhs_serial=325),
            carer=DemoCarer(
                "Ryan",
                "Entwistle",
                Relationship.FATHER,
                28,
                phone="07700 900326",
                nhs_serial=326,
                contact_preference=ContactPreference.PHONE,
            ),
            address="30 Bolton Road",
            town="Darwen",
            postcode="BB3 1BW",
            stresses=(Stress.RELATIONSHIP_CONCERNS,),
        ),
        lead="trainee_1",
        interventions=("video-interaction-guidance",),
        opened_weeks_ago=8,
        kind=ContactKind.FAMILY_HUB,
        slot=(2, 10, 0),
        every_weeks=2,
        site="Darwen family hub",
        room="Bluebell room",
        goals=("To play with Maisie without my phone",),
    ),
    DemoEpisode(
        plan=_family(
            "PIR-DEMO-0204",
            "satellite",
            18,
            source=ReferralSource.SELF,
            referrer=Referrer(name="Ellie Duckworth", role="Mother"),
            reason="My own mum wasn't around. I don't know how to be a mum to Noah and I get overwhelmed.",
            infant=DemoInfant("Duckworth", "Noah", age_months=16, nhs_serial=327),
            carer=DemoCarer(
                "Ellie",
                "Duckworth",
                Relationship.MOTHER,
                21,
                phone="07700 900328",
                email=f"ellie.d@{PARENT_MAIL}",
                nhs_serial=328,
            ),
            address="12 Preston New Road",
            town="Blackburn",
            postcode="BB2 6AA",
            stresses=(Stress.ACES, Stress.CARE_EXPERIENCED),
        ),
        lead="trainee_2",
        interventions=("circle-of-security",),
        opened_weeks_ago=18,
        kind=ContactKind.VIDEO,
        slot=(3, 11, 30),
        every_weeks=2,
        goals=("To know what to do when Noah has a tantrum",),
    ),
    DemoEpisode(
        plan=_family(
            "PIR-DEMO-0205",
            "satellite",
            5,
            source=ReferralSource.MATERNITY,
            referrer=Referrer(
                name="Joanne Ainsworth",
                role="Midwife",
                organisation="Royal Blackburn Hospital maternity",
                email=f"joanne.ainsworth@{NHS_MAIL}",
            ),
            reason="Baby born at 31 weeks, six weeks in neonatal care; mum says she still feels Ruby is not hers.",
            infant=DemoInfant("Hargreaves", "Ruby", age_months=3, nhs_serial=329),
            carer=DemoCarer("Laura", "Hargreaves", Relationship.MOTHER, 33, phone="07700 900330", nhs_serial=330),
            address="5 Shear Brow",
            town="Blackburn",
            postcode="BB1 8DS",
            stresses=(Stress.PREMATURE, Stress.NEONATAL_CARE),
        ),
        lead="trainee_2",
        interventions=("parent-infant-psychotherapy",),
        opened_weeks_ago=5,
        kind=ContactKind.FAMILY_HUB,
        slot=(2, 13, 30),
        site="Blackburn family hub",
        room="Rainbow room",
        goals=("To feel close to Ruby",),
    ),
    DemoEpisode(
        plan=_family(
            "PIR-DEMO-0206",
            "satellite",
            2,
            source=ReferralSource.HEALTH_VISITOR,
            referrer=_hv("Fatima Patel", BWD_HV, "07700 900321"),
            reason="Grandmother is main carer for Alfie; she and the health visitor are worried he seems withdrawn.",
            infant=DemoInfant("Marsh", "Alfie", age_months=20, nhs_serial=331),
            carer=DemoCarer("Pauline", "Marsh", Relationship.GRANDPARENT, 52, phone="07700 900332", nhs_serial=332),
            address="44 Redlam",
            town="Blackburn",
            postcode="BB2 1UW",
            stresses=(Stress.LOSS,),
        ),
        lead="trainee_1",
        interventions=("assessment",),
        opened_weeks_ago=2,
        kind=ContactKind.HOME_VISIT,
        slot=(4, 10, 0),
    ),
)

NOTE_LINES = (
    "{carer} and {infant} seen together. We watched {infant} during play; {carer} noticed when "
    "{infant} looked away and slowed down. We wondered together what {infant} might be telling her.",
    "{carer} talked about a hard week with little sleep. {infant} was settled on the mat; {carer} "
    "commented that {infant} calms when she hums. Plan: keep a note of the moments that go well.",
    "Reviewed a short film of {carer} and {infant} at bath time. {carer} picked out a moment of shared "
    "delight and said she had not seen it at the time.",
    "{carer} arrived worried about {infant}'s crying in the evenings. We thought about what {infant} "
    "might need then and tried slowing the routine down together.",
    "Goals reviewed. {carer} feels more confident reading {infant}'s cues and says home feels calmer. "
    "Agreed to continue as planned.",
)
DISCHARGE_SUMMARY = (
    "Sophie and Jacob were seen for Circle of Security Parenting over six months. Sophie's goal "
    "ratings rose steadily; she reports staying calmer when Jacob is upset and using the circle at "
    "home. The work is complete and the family has been discharged with the health visitor's agreement."
)


# -- Loading ----------------------------------------------------------------------------------


def _capacities(teams: dict[str, Team], users: dict[str, User]) -> None:
    for (team_key, person), (hours, maximum) in CAPACITIES.items():
        team, user = teams[team_key], users[person]
        if not PractitionerCapacity.objects.filter(team=team, practitioner=user).exists():
            services.set_capacity(
                actor=demo_actor(users["team_lead"], team),
                team=team,
                practitioner=user,
                contracted_hours=hours,
                max_weighted_caseload=maximum,
            )


def _rooms(teams: dict[str, Team]) -> dict[tuple[str, str], Room]:
    rooms = {}
    for site in Site.objects.filter(team__in=teams.values(), name__in=ROOMS):
        for name in ROOMS[site.name]:
            rooms[site.name, name] = Room.objects.get_or_create(site=site, name=name)[0]
    return rooms


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
class _Context:
    teams: dict[str, Team]
    users: dict[str, User]
    rooms: dict[tuple[str, str], Room]
    today: dt.date
    now: dt.datetime


def _book(ctx: _Context, spec: DemoEpisode, episode: Episode, starts_at: dt.datetime) -> Appointment | None:
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


def _history(ctx: _Context, spec: DemoEpisode, episode: Episode, opened: dt.datetime) -> None:
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


def _countersign(ctx: _Context, supervisor: User, note: Note) -> None:
    team = note.appointment.episode.team
    services.countersign_note(actor=demo_actor(supervisor, team), note=note)
    signed = Note.objects.values_list("signed_at", flat=True).get(pk=note.pk)
    assert signed is not None
    countersigned = min(signed + dt.timedelta(days=3), ctx.now)
    Note.objects.filter(pk=note.pk).update(countersigned_at=countersigned)
    Task.objects.filter(kind=TaskKind.COUNTERSIGN_NOTE, about_id=str(note.pk)).update(closed_at=countersigned)


def _allocate(ctx: _Context, spec: DemoEpisode, referral: Referral) -> tuple[Episode, dt.datetime]:
    team = ctx.teams[spec.plan.team]
    opened = at(working_days_before(ctx.today, spec.opened_weeks_ago * 5), 11, 30)
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
    EpisodeWorker.objects.filter(episode=episode).update(started_at=opened, created_at=opened)
    episode.refresh_from_db()
    return episode, opened


def _diary(ctx: _Context, spec: DemoEpisode, episode: Episode) -> None:
    """Book the family's slots from today to three weeks ahead, where not booked already."""
    if spec.story == "discharged" or not Episode.objects.open().filter(pk=episode.pk).exists():
        return
    booked = set(Appointment.objects.filter(episode=episode).values_list("starts_at", flat=True))
    opened_on = timezone.localdate(episode.opened_at)
    for starts_at in _slots(spec, opened_on, ctx.today, ctx.today + dt.timedelta(days=DIARY_DAYS)):
        if starts_at not in booked:
            _book(ctx, spec, episode, starts_at)


def _todays_visit(ctx: _Context, episodes: dict[str, Episode]) -> None:
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
    ctx = _Context(teams=teams, users=users, rooms=_rooms(teams), today=timezone.localdate(now), now=now)
    _capacities(teams, users)
    made: list[tuple[DemoEpisode, Episode, dt.datetime]] = []
    episodes: dict[str, Episode] = {}
    for spec in EPISODES:
        referral = Referral.objects.filter(reference=spec.plan.reference).first()
        if referral is None:
            referral = demo_referrals._create(spec.plan, teams[spec.plan.team], users, ctx.today)
            demo_referrals._date_history(referral, spec.plan, ctx.today)
        episode = Episode.objects.filter(referral=referral).first()
        if episode is None:
            episode, opened = _allocate(ctx, spec, referral)
            made.append((spec, episode, opened))
        episodes[spec.plan.reference] = episode
    # Today's visit first, so the regular diary books around it.
    _todays_visit(ctx, episodes)
    for spec, episode, opened in made:
        _history(ctx, spec, episode, opened)
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
