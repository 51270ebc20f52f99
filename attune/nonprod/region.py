"""The region-scale dataset: five teams over ten years (about 20,000 families, 350,000
appointments and 150,000 questionnaires at full size), for measuring how reports perform at the
scale DESIGN.md "Scale" describes. `manage.py make_region` builds it.

It is written straight to the tables with `bulk_create`, not through the services' actions: it is
load data, not anybody's work, so there is nobody to audit and nothing a person decided; going
through the actions would also write one audit row (and run the risk and task rules) per change,
which at this size would take hours and fill the audit log with events nobody did. Every row
is nevertheless one the actions could have written (the same codes, histories in time order,
scores from the scoring engine), so the reports read it exactly as they read real data.

Deterministic: the same seed and size give the same data (ids, times and all), except that the
dates are counted back from the day it is built. Families are written in chunks, each in its own
transaction, with every model's rows for the chunk created together in batches (no query per
row), so memory stays flat however large the region is.
"""

import csv
import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import Attendance, ContactKind, DischargeReason, WorkerRole, contact_defaults
from attune.care.models import (
    Appointment,
    Discharge,
    Episode,
    EpisodeEvent,
    EpisodeWorker,
    Intervention,
    PractitionerCapacity,
)
from attune.core import audit, clocks
from attune.families import search_index
from attune.families.codes import (
    ContactPreference,
    EthnicCategory,
    NhsNumberStatus,
    ParentalResponsibility,
    Relationship,
)
from attune.families.models import Carer, Family, FamilyAlert, Infant
from attune.nonprod.names import Names
from attune.nonprod.synthetic import at, synthetic_nhs_number
from attune.organisations.models import (
    Catchment,
    Membership,
    Organisation,
    OrganisationKind,
    Service,
    Site,
    SiteKind,
    Team,
    TeamKind,
)
from attune.organisations.roles import Role
from attune.outcomes import instruments, scoring
from attune.outcomes.models import Administration, MeasureSchedule, Source, TimePoint
from attune.referrals.codes import DeclineReason, LevelOfNeed, Priority, ReferralSource, Stress
from attune.referrals.models import EligibilityRules, Referral, ReferralKind, ReferralStatus
from attune.referrals.workflow import Status
from attune.supervision.models import (
    ClinicalExperience,
    SessionAttendee,
    SessionFormat,
    SessionKind,
    SupervisionSession,
)
from attune.workforce.models import ActivityKind, NonCaseloadActivity, Post

PASSWORD = "attune-region-password"  # noqa: S105 - synthetic accounts on a non-production database
EMAIL_DOMAIN = "attune-region.example"
SERVICE_NAME = "Lancashire and South Cumbria Parent Infant Relationship Service (region)"
REFERENCE_PREFIX = "RGN-"
BATCH_SIZE = 4000
CHUNK_FAMILIES = 1000
# At full size (20,000 families): about this many appointments and questionnaires.
FULL_FAMILIES = 20_000
APPOINTMENTS_PER_FAMILY = 350_000 / FULL_FAMILIES
POSTCODE_FILE = Path(__file__).resolve().parent.parent / "reports" / "data" / "demo_postcode_lsoa21.csv"

ORGANISATIONS = {
    "icb": ("QE1", "NHS Lancashire and South Cumbria Integrated Care Board", OrganisationKind.ICB),
    "trust": ("RXL", "Blackpool Teaching Hospitals NHS Foundation Trust", OrganisationKind.NHS_TRUST),
    "blackpool": ("E06000009", "Blackpool Council", OrganisationKind.LOCAL_AUTHORITY),
    "blackburn": ("E06000008", "Blackburn with Darwen Borough Council", OrganisationKind.LOCAL_AUTHORITY),
    "lancashire": ("E10000017", "Lancashire County Council", OrganisationKind.LOCAL_AUTHORITY),
    "westmorland": ("E06000064", "Westmorland and Furness Council", OrganisationKind.LOCAL_AUTHORITY),
}


@dataclass(frozen=True)
class TeamPlan:
    key: str
    name: str
    council: str
    districts: tuple[str, ...]  # postcode districts the team covers (its catchment)
    sites: tuple[tuple[str, str, str], ...]  # (name, kind, postcode)
    share: float  # of the region's families


# One hub and four satellites in four council areas (Lancashire is large enough for two).
TEAMS = (
    TeamPlan(
        "hub",
        "Region PAIRS hub team (Blackpool)",
        "blackpool",
        ("FY1", "FY2", "FY3", "FY4"),
        (
            ("Blackpool PAIRS clinic", SiteKind.CLINIC, "FY3 8NR"),
            ("Grange Park family hub", SiteKind.FAMILY_HUB, "FY3 7UR"),
        ),
        0.28,
    ),
    TeamPlan(
        "blackburn",
        "Blackburn with Darwen satellite team",
        "blackburn",
        ("BB1", "BB2", "BB3"),
        (
            ("Blackburn family hub", SiteKind.FAMILY_HUB, "BB1 7DJ"),
            ("Darwen family hub", SiteKind.FAMILY_HUB, "BB3 1AX"),
        ),
        0.2,
    ),
    TeamPlan(
        "preston",
        "Central Lancashire satellite team",
        "lancashire",
        ("PR1", "PR2", "PR5", "PR7"),
        (("Preston children's centre", SiteKind.CHILDRENS_CENTRE, "PR1 2QE"),),
        0.2,
    ),
    TeamPlan(
        "burnley",
        "East Lancashire satellite team",
        "lancashire",
        ("BB10", "BB11", "BB12"),
        (("Burnley family hub", SiteKind.FAMILY_HUB, "BB11 2DL"),),
        0.16,
    ),
    TeamPlan(
        "barrow",
        "Furness satellite team",
        "westmorland",
        ("LA13", "LA14"),
        (("Barrow family hub", SiteKind.FAMILY_HUB, "LA14 1HU"),),
        0.16,
    ),
)

# Realistic shares (domain B.4 codes): most appointments attended, about one in ten missed.
ATTENDANCE_SHARES = (
    (Attendance.ATTENDED, 0.76),
    (Attendance.LATE_SEEN, 0.04),
    (Attendance.DID_NOT_ATTEND, 0.10),
    (Attendance.LATE_NOT_SEEN, 0.01),
    (Attendance.CANCELLED_BY_FAMILY, 0.05),
    (Attendance.CANCELLED_BY_SERVICE, 0.04),
)
SOURCE_SHARES = (
    (ReferralSource.HEALTH_VISITOR, 0.3),
    (ReferralSource.MATERNITY, 0.15),
    (ReferralSource.GP, 0.12),
    (ReferralSource.OTHER_SECONDARY, 0.1),
    (ReferralSource.SOCIAL_SERVICES, 0.08),
    (ReferralSource.SELF, 0.07),
    (ReferralSource.OTHER_SERVICE, 0.06),
    (ReferralSource.PAEDIATRICS_HOSPITAL, 0.04),
    (ReferralSource.VOLUNTARY, 0.03),
    (ReferralSource.CARER_RELATIVE, 0.02),
    (ReferralSource.PAEDIATRICS_COMMUNITY, 0.02),
    (ReferralSource.OTHER_PRIMARY_CARE, 0.01),
)
DECISION_SHARES = (
    (Status.ACCEPTED, 0.72),
    (Status.SIGNPOSTED, 0.12),
    (Status.DECLINED, 0.09),
    (Status.WITHDRAWN, 0.07),
)
DISCHARGE_SHARES = (
    (DischargeReason.COMPLETED, 0.7),
    (DischargeReason.DISENGAGED, 0.15),
    (DischargeReason.MOVED_AWAY, 0.06),
    (DischargeReason.TRANSFERRED, 0.04),
    (DischargeReason.OTHER_SERVICE, 0.05),
)
ETHNICITY_SHARES = (
    (EthnicCategory.WHITE_BRITISH, 0.74),
    (EthnicCategory.ASIAN_PAKISTANI, 0.07),
    (EthnicCategory.ASIAN_INDIAN, 0.05),
    (EthnicCategory.WHITE_OTHER, 0.04),
    (EthnicCategory.MIXED_WHITE_ASIAN, 0.02),
    (EthnicCategory.BLACK_AFRICAN, 0.02),
    (EthnicCategory.NOT_STATED, 0.03),
    (EthnicCategory.NOT_KNOWN, 0.03),
)
CONTACT_SHARES = (
    (ContactKind.HOME_VISIT, 0.45),
    (ContactKind.FAMILY_HUB, 0.2),
    (ContactKind.CLINIC, 0.15),
    (ContactKind.VIDEO, 0.12),
    (ContactKind.PHONE, 0.08),
)
# Measures at assessment, review (12 weeks) and discharge, as a team's schedule would set them.
CARER_MEASURES = ("EPDS", "PHQ9", "GAD7")
REVIEW_WEEKS = 12
GIVEN_NAMES = ("Amy", "Sana", "Chloe", "Laura", "Ellie", "Hannah", "Zainab", "Megan", "Jade", "Aisha", "Kirsty", "Tia")
PARTNER_NAMES = ("Liam", "Ryan", "Imran", "Daniel", "Jack", "Tom", "Adam", "Luke")
BABY_NAMES = ("Isla", "Leo", "Ava", "Noah", "Ruby", "Alfie", "Zara", "Freddie", "Maisie", "Mason", "Poppy", "Jacob")
FAMILY_NAMES = ("Walsh", "Khan", "Hughes", "Patel", "Taylor", "Ahmed", "Brown", "Wilson", "Hussain", "Smith", "Kelly")
STRESSES = [s.value for s in Stress]


class RegionRefused(Exception):
    """Why the region will not be built here; the message is fit to show."""


@dataclass
class Progress:
    """Where the build has got to, for the command's progress lines."""

    report: Callable[[str], None] = print


@dataclass
class _Staff:
    lead: User
    supervisor: User
    coordinator: User
    practitioners: list[User]  # who hold caseloads: practitioners, trainees and the supervisor
    trainees: list[User]


@dataclass
class _TeamData:
    team: Team
    plan: TeamPlan
    council: Organisation
    sites: list[Site]
    staff: _Staff
    postcodes: list[str]


@dataclass
class Built:
    """What was made, for the command to print and tests to check."""

    teams: list[Team] = field(default_factory=list)
    icb: Organisation | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number


# -- Helpers ----------------------------------------------------------------------------------


def _pick(rng: random.Random, shares: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([value for value, _ in shares], weights=[weight for _, weight in shares])[0]


def _uuid(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID from the seeded generator, so ids are the same on every build."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _add_working_days(day: dt.date, days: int) -> dt.date:
    while days > 0:
        day += dt.timedelta(days=1)
        if clocks.is_working_day(day):
            days -= 1
    return day


def _plan_postcodes(rng: random.Random, plan: TeamPlan) -> list[str]:
    """Postcodes for a team's families: from the shared demo postcode file (column pcds) where it
    has ten or more in the team's districts, else made up in the team's districts (well-formed, not checked
    against the postcode directory: nothing looks them up)."""
    wanted = set(plan.districts)
    if POSTCODE_FILE.exists():
        with POSTCODE_FILE.open(newline="", encoding="utf-8") as handle:
            found = sorted({row["pcds"].strip().upper() for row in csv.DictReader(handle) if row.get("pcds")})
        mine = [p for p in found if p.split(" ")[0] in wanted]
        if len(mine) >= 10:  # enough to spread a team's families over
            return mine
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    made = {
        f"{rng.choice(plan.districts)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
        for _ in range(400)
    }
    return sorted(made)


def _bulk(model: type[models.Model], rows: list[Any]) -> None:
    if rows:
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)  # type: ignore[attr-defined]


# -- Answers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    """For one option instrument: per item, the position printed for each score (the engine
    applies reverse scoring, so the position giving a score differs by item)."""

    positions: tuple[dict[int, int], ...]
    top: tuple[int, ...]
    risk_items: frozenset[int]


def _shape(code: str) -> _Shape:
    instrument = instruments.get(code)
    return _Shape(
        positions=tuple(
            {option.score: index for index, option in enumerate(item.options)} for item in instrument.items
        ),
        top=tuple(max(option.score for option in item.options) for item in instrument.items),
        risk_items=frozenset(rule.item for rule in instrument.risk_rules if rule.item is not None),
    )


class _Scorer:
    """Plausible answers for a severity (0 to 1) and their result from the scoring engine,
    cached by answers since many questionnaires share the same ones."""

    def __init__(self) -> None:
        self._shapes: dict[str, _Shape] = {}
        self._results: dict[tuple[str, tuple[int | None, ...]], scoring.Result] = {}

    def answers(self, rng: random.Random, code: str, severity: float, *, risky: bool) -> list[int | None]:
        if code == "ASQSE2":  # a total the practitioner scored from the kit
            return [max(0, min(300, round(rng.gauss(40 + 120 * severity, 25))))]
        if code not in self._shapes:
            self._shapes[code] = _shape(code)
        shape = self._shapes[code]
        result: list[int | None] = []
        for number, (positions, top) in enumerate(zip(shape.positions, shape.top, strict=True), start=1):
            if number in shape.risk_items:
                score = rng.randint(1, top) if risky else 0
            else:
                score = max(0, min(top, round(rng.gauss(severity * top, 0.8))))
            result.append(positions[score] if score in positions else positions[min(positions)])
        return result

    def score(self, code: str, answers: list[int | None]) -> scoring.Result:
        key = (code, tuple(answers))
        if key not in self._results:
            self._results[key] = scoring.score(code, answers)
        return self._results[key]


# -- The fixed part: organisations, teams, staff ----------------------------------------------


def _organisations() -> dict[str, Organisation]:
    return {
        key: Organisation.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})[0]
        for key, (code, name, kind) in ORGANISATIONS.items()
    }


def _staff_for(
    rng: random.Random, index: int, team: Team, password_hash: str, hub_start: dt.date
) -> tuple[_Staff, list[User], list[Membership]]:
    """Eight people a team: a lead (who leads only this team), a supervisor who also holds a
    caseload, four practitioners, two trainees of the later years and a coordinator."""
    people: list[User] = []
    memberships: list[Membership] = []

    def person(kind: str, number: int, name: str, roles: tuple[Role, ...], since: dt.date) -> User:
        user = User(
            id=_uuid(rng),
            email=f"region-{kind}-{number}@{EMAIL_DOMAIN}",
            full_name=name,
            password=password_hash,
            is_demo_account=True,
        )
        people.append(user)
        for role in roles:
            memberships.append(Membership(id=_uuid(rng), user=user, role=role, team=team, starts_on=since))
        return user

    def name() -> str:
        return f"{rng.choice(GIVEN_NAMES + PARTNER_NAMES)} {rng.choice(FAMILY_NAMES)}"

    lead = person("lead", index, name(), (Role.TEAM_LEAD,), hub_start)
    supervisor = person("supervisor", index, name(), (Role.SUPERVISOR, Role.PRACTITIONER), hub_start)
    coordinator = person("coordinator", index, name(), (Role.COORDINATOR,), hub_start)
    practitioners = [
        person("practitioner", index * 10 + n, name(), (Role.PRACTITIONER,), hub_start + dt.timedelta(days=200 * n))
        for n in range(4)
    ]
    trainee_start = hub_start + dt.timedelta(days=365 * 7)
    trainees = [person("trainee", index * 10 + n, name(), (Role.TRAINEE,), trainee_start) for n in range(2)]
    staff = _Staff(lead, supervisor, coordinator, [supervisor, *practitioners, *trainees], trainees)
    return staff, people, memberships


def _fixed_part(rng: random.Random, today: dt.date, years: int, teams: int, built: Built) -> list[_TeamData]:
    orgs = _organisations()
    built.icb = orgs["icb"]
    start = today.replace(day=1) - dt.timedelta(days=365 * years)
    service = Service.objects.create(name=SERVICE_NAME, provider=orgs["trust"], commissioner=orgs["icb"])
    # One hash for everyone: hashing is slow by design, and every account has the same password.
    hasher = User(email="hash@attune-region.example")
    hasher.set_password(PASSWORD)
    password_hash = hasher.password

    out: list[_TeamData] = []
    hub: Team | None = None
    users: list[User] = []
    memberships: list[Membership] = []
    for index, plan in enumerate(TEAMS[:teams], start=1):
        kind = TeamKind.HUB if hub is None else TeamKind.SATELLITE
        team = Team.objects.create(
            service=service, name=plan.name, kind=kind, hub=hub, local_authority=orgs[plan.council]
        )
        hub = hub or team
        sites = [
            Site.objects.create(team=team, name=name, kind=site_kind, address=name.split(" ")[0], postcode=postcode)
            for name, site_kind, postcode in plan.sites
        ]
        rules = EligibilityRules.objects.create(team=team, triage_target_working_days=5, expected_episode_weeks=26)
        rules.areas.set([orgs[plan.council]])
        for district in plan.districts:
            Catchment.objects.get_or_create(prefix=district, defaults={"local_authority": orgs[plan.council]})
        staff, people, team_memberships = _staff_for(rng, index, team, password_hash, start)
        users += people
        memberships += team_memberships
        out.append(_TeamData(team, plan, orgs[plan.council], sites, staff, _plan_postcodes(rng, plan)))
        built.teams.append(team)
    # The ICB's commissioners, and the trust's information governance lead.
    for number, (role, org) in enumerate(
        [(Role.COMMISSIONER, orgs["icb"]), (Role.COMMISSIONER, orgs["icb"]), (Role.IG_LEAD, orgs["trust"])], start=1
    ):
        label = "commissioner" if role == Role.COMMISSIONER else "ig-lead"
        user = User(
            id=_uuid(rng),
            email=f"region-{label}-{number}@{EMAIL_DOMAIN}",
            full_name=f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}",
            password=password_hash,
            is_demo_account=True,
        )
        users.append(user)
        memberships.append(Membership(id=_uuid(rng), user=user, role=role, organisation=org, starts_on=start))
    _bulk(User, users)
    _bulk(Membership, memberships)
    built.add("staff", len(users))
    _staff_records(rng, out, start, today, built)
    return out


def _staff_records(rng: random.Random, teams: list[_TeamData], start: dt.date, today: dt.date, built: Built) -> None:
    """Capacities, experience, posts, supervision given and consultation and training."""
    capacities, experience, posts, sessions, attendees, activities = [], [], [], [], [], []
    for data in teams:
        staff = data.staff
        for person in staff.practitioners:
            hours = rng.choice((Decimal("37.5"), Decimal("30.0"), Decimal("22.5")))
            capacities.append(
                PractitionerCapacity(
                    id=_uuid(rng),
                    team=data.team,
                    practitioner=person,
                    contracted_hours=hours,
                    max_weighted_caseload=(hours / Decimal("37.5") * 12).quantize(Decimal("0.01")),
                )
            )
            experience.append(
                ClinicalExperience(
                    id=_uuid(rng),
                    practitioner=person,
                    under_twos_experience_since=start - dt.timedelta(days=rng.randint(0, 3000)),
                    weekly_hours=hours,
                )
            )
        for person in [staff.lead, staff.coordinator, *staff.practitioners]:
            posts.append(
                Post(
                    id=_uuid(rng),
                    team=data.team,
                    title="Trainee parent-infant therapist" if person in staff.trainees else "Parent-infant therapist",
                    holder=person,
                    starts_on=start,
                    ends_on=today + dt.timedelta(days=rng.randint(60, 900)),
                    funded_by=data.council.name if rng.random() < 0.4 else "NHS Lancashire and South Cumbria ICB",
                )
            )
        month = start
        while month <= today:
            # A group session each month, and individual supervision for each practitioner.
            held = month + dt.timedelta(days=rng.randint(0, 20))
            if held <= today:
                group = SupervisionSession(
                    id=_uuid(rng),
                    supervisor=staff.supervisor,
                    kind=SessionKind.GROUP,
                    format=SessionFormat.IN_PERSON,
                    held_on=held,
                    duration_minutes=90,
                    recorded_by=staff.supervisor,
                )
                sessions.append(group)
                for person in staff.practitioners[1:]:
                    attendees.append(SessionAttendee(id=_uuid(rng), session=group, supervisee=person))
                for person in staff.practitioners[1:]:
                    one = SupervisionSession(
                        id=_uuid(rng),
                        supervisor=staff.supervisor,
                        kind=SessionKind.INDIVIDUAL,
                        format=_pick(rng, ((SessionFormat.IN_PERSON, 0.6), (SessionFormat.VIDEO, 0.4))),
                        held_on=min(today, held + dt.timedelta(days=rng.randint(1, 8))),
                        duration_minutes=60,
                        recorded_by=staff.supervisor,
                    )
                    sessions.append(one)
                    attendees.append(SessionAttendee(id=_uuid(rng), session=one, supervisee=person))
                for _ in range(rng.randint(1, 3)):
                    kind = _pick(rng, ((ActivityKind.CONSULTATION, 0.6), (ActivityKind.TRAINING, 0.4)))
                    activities.append(
                        NonCaseloadActivity(
                            id=_uuid(rng),
                            team=data.team,
                            kind=kind,
                            held_on=min(today, held + dt.timedelta(days=rng.randint(0, 9))),
                            audience=rng.choice(("Health visitors", "Family hub staff", "Midwives", "Social workers")),
                            attendees=rng.randint(2, 30),
                            topic=rng.choice(("Infant mental health", "Noticing the baby", "Video interaction")),
                            hours=Decimal(rng.choice(("1.00", "1.50", "2.00", "3.00"))),
                            recorded_by=rng.choice(staff.practitioners),
                        )
                    )
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    staff_rows: list[tuple[str, type[models.Model], list[Any]]] = [
        ("practitioner capacities", PractitionerCapacity, capacities),
        ("clinical experience records", ClinicalExperience, experience),
        ("posts", Post, posts),
        ("supervision sessions", SupervisionSession, sessions),
        ("supervision attendees", SessionAttendee, attendees),
        ("consultation and training records", NonCaseloadActivity, activities),
    ]
    for name, model, rows in staff_rows:
        _bulk(model, rows)
        built.add(name, len(rows))
    built.add("post costs", _post_costs(rng, posts, {data.team.pk: data.staff.lead for data in teams}))
    schedules = [
        MeasureSchedule(id=_uuid(rng), team=data.team, instrument=code, time_point=point, weeks_after_start=weeks)
        for data in teams
        for point, weeks in ((TimePoint.ASSESSMENT, 0), (TimePoint.REVIEW, REVIEW_WEEKS), (TimePoint.DISCHARGE, None))
        for code in (*CARER_MEASURES, *(("PBQ",) if point != TimePoint.DISCHARGE else ()))
    ]
    _bulk(MeasureSchedule, schedules)


def _post_costs(rng: random.Random, posts: list[Post], leads: dict[Any, User]) -> int:
    """A yearly cost for each post, where the commissioning app keeps post costs (it is being
    added alongside this work: skipped when it is not there, or its fields are not the ones
    expected)."""
    try:
        from attune.commissioning import models as commissioning_models
    except ImportError:
        return 0
    post_cost = getattr(commissioning_models, "PostCost", None)
    if post_cost is None:
        return 0
    names = {f.name for f in post_cost._meta.get_fields()}
    money = next((n for n in ("annual_cost", "cost", "amount") if n in names), None)
    start_field = next((n for n in ("effective_from", "starts_on", "valid_from") if n in names), None)
    if "post" not in names or money is None:
        return 0
    required = {
        f.name
        for f in post_cost._meta.concrete_fields
        if not f.null
        and not f.blank
        and not f.has_default()
        and not f.primary_key
        and not getattr(f, "auto_now", False)
    } - {"post", money, "recorded_by", "created_at", "updated_at", *([start_field] if start_field else [])}
    if required:
        return 0  # a field this loader does not know how to fill: leave costs out rather than guess
    rows = []
    for post in posts:
        values: dict[str, Any] = {"post": post, money: Decimal(rng.randint(38_000, 62_000)) + Decimal("0.00")}
        if "recorded_by" in names:
            values["recorded_by"] = leads[post.team_id]
        if start_field:
            values[start_field] = post.starts_on
        rows.append(post_cost(**values))
    _bulk(post_cost, rows)
    return len(rows)


# -- Families, referrals and care ----------------------------------------------------------------


@dataclass
class _Rows:
    """One chunk's rows, written in an order that keeps every foreign key pointing backwards."""

    families: list[Family] = field(default_factory=list)
    infants: list[Infant] = field(default_factory=list)
    carers: list[Carer] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    statuses: list[ReferralStatus] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    episode_infants: list[Any] = field(default_factory=list)
    episode_carers: list[Any] = field(default_factory=list)
    episode_interventions: list[Any] = field(default_factory=list)
    events: list[EpisodeEvent] = field(default_factory=list)
    workers: list[EpisodeWorker] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    discharges: list[Discharge] = field(default_factory=list)
    administrations: list[Administration] = field(default_factory=list)
    alerts: list[FamilyAlert] = field(default_factory=list)

    def write(self, built: Built) -> None:
        order: list[tuple[str, type[models.Model], list[Any]]] = [
            ("families", Family, self.families),
            ("infants", Infant, self.infants),
            ("carers", Carer, self.carers),
            ("referrals", Referral, self.referrals),
            ("referral statuses", ReferralStatus, self.statuses),
            ("episodes", Episode, self.episodes),
            ("", Episode.infants.through, self.episode_infants),
            ("", Episode.carers.through, self.episode_carers),
            ("", Episode.interventions.through, self.episode_interventions),
            ("episode events", EpisodeEvent, self.events),
            ("episode workers", EpisodeWorker, self.workers),
            ("appointments", Appointment, self.appointments),
            ("discharges", Discharge, self.discharges),
            ("administrations", Administration, self.administrations),
            ("family alerts", FamilyAlert, self.alerts),
        ]
        for name, model, rows in order:
            _bulk(model, rows)
            if name:
                built.add(name, len(rows))


class _Builder:
    def __init__(self, rng: random.Random, teams: list[_TeamData], today: dt.date, years: int, seed: int = 7) -> None:
        self.rng = rng
        # People's names come from a generator of their own: the draws from `rng` that once chose
        # them are still made, so everything else in the region is as it was before names varied.
        self.names = Names(seed)
        self.teams = teams
        self.today = today
        # What has happened by the start of the build day: the same on every build that day, so
        # a seed gives the same region on SQLite and PostgreSQL whatever the time of day.
        self.now = at(today, 0)
        self.start = today.replace(day=1) - dt.timedelta(days=365 * years)
        self.span = (today - self.start).days
        self.scorer = _Scorer()
        self.interventions = list(Intervention.objects.order_by("code").values_list("pk", flat=True))
        self.weights = [data.plan.share for data in teams]
        self.family_number = 0
        self.referral_number = 0
        self.nhs_serial = 0

    # A family, its people and its referrals -------------------------------------------------

    def family(self, rows: _Rows) -> None:
        rng = self.rng
        data = rng.choices(self.teams, weights=self.weights)[0]
        self.family_number += 1
        # Referrals grow over the years as the service becomes known: later days are likelier.
        received_day = self.start + dt.timedelta(days=int(self.span * rng.random() ** 0.8))
        received_at = at(received_day, rng.randint(8, 17), rng.choice((0, 15, 30, 45)))
        rng.choice(FAMILY_NAMES)
        surname = self.names.surname()
        family = Family(
            id=_uuid(rng),
            team=data.team,
            address_line_1=f"{rng.randint(1, 199)} {rng.choice(('Park', 'Church', 'Station', 'Mill'))} Road",
            town=data.sites[0].address,
            postcode=rng.choice(data.postcodes),
            local_authority=data.council,
            language="English" if rng.random() < 0.9 else rng.choice(("Urdu", "Polish", "Punjabi", "Arabic")),
            gp_practice=f"{rng.choice(('Central', 'Park', 'Bank'))} Medical Practice",
            preferred_site=rng.choice(data.sites),
            created_at=received_at,
        )
        family.interpreter_needed = family.language != "English" and rng.random() < 0.5
        rows.families.append(family)
        infants = self.infants(rows, family, received_day)
        carers = self.carers(rows, family, surname, received_at)
        self.referral(rows, data, family, infants, carers, received_at)
        # About one family in twelve is referred again a year or two later.
        again = received_day + dt.timedelta(days=rng.randint(300, 800))
        if rng.random() < 0.08 and again < self.today:
            self.referral(rows, data, family, infants, carers, at(again, rng.randint(8, 17)))

    def infants(self, rows: _Rows, family: Family, received: dt.date) -> list[Infant]:
        rng = self.rng
        made: list[Infant] = []
        for _ in range(2 if rng.random() < 0.03 else 1):  # twins, now and then
            if made:  # a twin shares the first baby's dates
                born, due = made[0].date_of_birth, made[0].expected_due_date
            else:
                unborn = rng.random() < 0.18
                born = None if unborn else received - dt.timedelta(days=rng.randint(7, 700))
                due = received + dt.timedelta(days=rng.randint(20, 180)) if unborn else None
                # An unborn baby referred long ago has been born since: the record gains a birth date.
                if due is not None and due < self.today and rng.random() < 0.9:
                    born = due + dt.timedelta(days=rng.randint(-21, 10))
            infant = Infant(
                id=_uuid(rng),
                family=family,
                given_name=self._name(rng.choice(BABY_NAMES), self.names.baby) if born else "",
                family_name="",
                nhs_number=self.nhs() if born else "",
                nhs_number_status=NhsNumberStatus.VERIFIED if born else NhsNumberStatus.NOT_REQUIRED,
                ethnicity=_pick(rng, ETHNICITY_SHARES),
                date_of_birth=born,
                expected_due_date=due,
                created_at=family.created_at,
            )
            made.append(infant)
        rows.infants += made
        return made

    def carers(self, rows: _Rows, family: Family, surname: str, received_at: dt.datetime) -> list[Carer]:
        rng = self.rng
        relationship = _pick(
            rng,
            (
                (Relationship.MOTHER, 0.88),
                (Relationship.FATHER, 0.05),
                (Relationship.FOSTER_CARER, 0.03),
                (Relationship.GRANDPARENT, 0.02),
                (Relationship.KINSHIP_CARER, 0.02),
            ),
        )
        people = [(relationship, self._name(rng.choice(GIVEN_NAMES), self.names.carer), True)]
        if rng.random() < 0.55:
            people.append((Relationship.FATHER if relationship == Relationship.MOTHER else Relationship.PARTNER,
                           self._name(rng.choice(PARTNER_NAMES), self.names.partner), False))  # fmt: skip
        made = []
        for relation, given, main in people:
            carer = Carer(
                id=_uuid(rng),
                family=family,
                given_name=given,
                family_name=surname,
                nhs_number=self.nhs(),
                nhs_number_status=NhsNumberStatus.VERIFIED,
                ethnicity=_pick(rng, ETHNICITY_SHARES),
                relationship=relation,
                parental_responsibility=ParentalResponsibility.YES
                if relation in (Relationship.MOTHER, Relationship.FATHER)
                else ParentalResponsibility.NOT_KNOWN,
                date_of_birth=received_at.date() - dt.timedelta(days=rng.randint(17 * 365, 42 * 365)),
                phone=f"07700 9{rng.randint(0, 99999):05d}",
                contact_preference=ContactPreference.SMS,
                is_main_contact=main,
                created_at=received_at,
            )
            made.append(carer)
        rows.carers += made
        return made

    @staticmethod
    def _name(drawn: str, pick: Callable[[], str]) -> str:
        """The name from the names generator; `drawn` is the main stream's draw, kept (see __init__)."""
        return pick()

    def nhs(self) -> str:
        self.nhs_serial = (self.nhs_serial + 1) % 100_000
        return synthetic_nhs_number(self.nhs_serial)

    def referral(
        self,
        rows: _Rows,
        data: _TeamData,
        family: Family,
        infants: list[Infant],
        carers: list[Carer],
        received_at: dt.datetime,
    ) -> None:
        rng = self.rng
        self.referral_number += 1
        source = _pick(rng, SOURCE_SHARES)
        kind = (
            ReferralKind.SELF
            if source in (ReferralSource.SELF, ReferralSource.CARER_RELATIVE)
            else ReferralKind.PROFESSIONAL
        )
        referral = Referral(
            id=_uuid(rng),
            reference=f"{REFERENCE_PREFIX}{self.referral_number:06d}",
            team=data.team,
            family=family,
            kind=kind,
            source=source,
            received_at=received_at,
            referrer_name=carers[0].full_name if kind == ReferralKind.SELF else f"{rng.choice(GIVEN_NAMES)} Jones",
            referrer_role="" if kind == ReferralKind.SELF else ReferralSource(source).label,
            reason="Worried about how we are getting on together.",
            stresses=sorted(rng.sample(STRESSES, rng.randint(1, 4))),
            consent_given=True,
            created_at=received_at,
        )
        rows.referrals.append(referral)
        staff = data.staff
        history: list[tuple[Status, dt.datetime, User | None]] = [(Status.RECEIVED, received_at, None)]
        day = received_at.date()
        if rng.random() < 0.1:  # asked the referrer for more first
            asked = _add_working_days(day, rng.randint(1, 3))
            history.append((Status.AWAITING_INFORMATION, at(asked, 11), staff.coordinator))
            day = asked
        decided_on = _add_working_days(day, rng.randint(1, 20))
        decided_at = at(decided_on, rng.randint(9, 16), rng.choice((0, 20, 40)))
        if decided_at > self.now:
            # Still in the inbox: received (or waiting for information) and not yet decided.
            self._statuses(rows, referral, history)
            return
        decision = _pick(rng, DECISION_SHARES)
        history.append((decision, decided_at, staff.lead))
        if decision == Status.ACCEPTED:
            referral.level_of_need = _pick(
                rng,
                (
                    (LevelOfNeed.STRESS, 0.3),
                    (LevelOfNeed.DISTRESS, 0.35),
                    (LevelOfNeed.DISTURBANCE, 0.3),
                    (LevelOfNeed.DISORDER, 0.05),
                ),
            )
            referral.priority = _pick(rng, ((Priority.ROUTINE, 0.75), (Priority.SOON, 0.2), (Priority.URGENT, 0.05)))
        elif decision == Status.SIGNPOSTED:
            referral.signposted_to = rng.choice(
                ("Health visiting", "Family hub parenting group", "Perinatal mental health")
            )
        elif decision == Status.DECLINED:
            referral.decline_reason = _pick(
                rng,
                (
                    (DeclineReason.NOT_RELATIONAL, 0.4),
                    (DeclineReason.ALREADY_SUPPORTED, 0.25),
                    (DeclineReason.AGE, 0.15),
                    (DeclineReason.AREA, 0.15),
                    (DeclineReason.OTHER, 0.05),
                ),
            )
        self._statuses(rows, referral, history)
        if decision == Status.ACCEPTED:
            self.episode(rows, data, referral, infants, carers, decided_at)

    def _statuses(
        self, rows: _Rows, referral: Referral, history: list[tuple[Status, dt.datetime, User | None]]
    ) -> None:
        for status, entered_at, by in history:
            rows.statuses.append(ReferralStatus(referral=referral, status=status.value, entered_at=entered_at, by=by))
        # The status columns are the latest row of the history (in time order, so its last),
        # set here rather than by an UPDATE after the rows are written (append_status's rule).
        last, last_at, _ = history[-1]
        referral.status, referral.status_at = last.value, last_at

    # An episode of care ---------------------------------------------------------------------

    def episode(
        self,
        rows: _Rows,
        data: _TeamData,
        referral: Referral,
        infants: list[Infant],
        carers: list[Carer],
        accepted_at: dt.datetime,
    ) -> None:
        rng = self.rng
        opened_on = accepted_at.date() + dt.timedelta(weeks=rng.randint(2, 30))
        while not clocks.is_working_day(opened_on):
            opened_on += dt.timedelta(days=1)
        opened_at = at(opened_on, rng.randint(9, 16))
        if opened_at > self.now:
            return  # still on the waiting list
        staff = data.staff
        active = [p for p in staff.practitioners if self._member_on(data, p, opened_on)]
        lead = rng.choice(active or staff.practitioners)
        weeks = max(4, min(60, round(rng.gauss(26, 10))))
        ends_on = opened_on + dt.timedelta(weeks=weeks)
        discharged = ends_on <= self.today
        episode = Episode(
            id=_uuid(rng),
            referral=referral,
            family=referral.family,
            team=data.team,
            opened_at=opened_at,
            planned_review_on=opened_on + dt.timedelta(weeks=REVIEW_WEEKS),
            created_at=opened_at,
            # The latest event, as append_event keeps it (moved on below if discharged).
            last_event_kind=EpisodeEvent.Kind.ALLOCATED,
            last_event_at=opened_at,
        )
        rows.episodes.append(episode)
        for infant in infants:
            rows.episode_infants.append(Episode.infants.through(episode_id=episode.id, infant_id=infant.id))
        for carer in carers:
            rows.episode_carers.append(Episode.carers.through(episode_id=episode.id, carer_id=carer.id))
        if self.interventions:
            rows.episode_interventions.append(
                Episode.interventions.through(episode_id=episode.id, intervention_id=rng.choice(self.interventions))
            )
        rows.events.append(EpisodeEvent(episode=episode, kind=EpisodeEvent.Kind.ALLOCATED, at=opened_at, by=staff.lead))
        ended_at = at(ends_on, 17) if discharged else None
        rows.workers.append(
            EpisodeWorker(
                id=_uuid(rng),
                episode=episode,
                practitioner=lead,
                role=WorkerRole.LEAD,
                started_at=opened_at,
                ended_at=ended_at,
                created_at=opened_at,
            )
        )
        if rng.random() < 0.2:
            second = rng.choice([p for p in staff.practitioners if p is not lead])
            rows.workers.append(
                EpisodeWorker(
                    id=_uuid(rng),
                    episode=episode,
                    practitioner=second,
                    role=WorkerRole.CO_WORKER,
                    started_at=opened_at,
                    ended_at=ended_at,
                    created_at=opened_at,
                )
            )
        self.appointments(rows, data, episode, lead, opened_on, ends_on, weeks)
        if discharged:
            assert ended_at is not None
            rows.events.append(EpisodeEvent(episode=episode, kind=EpisodeEvent.Kind.DISCHARGED, at=ended_at, by=lead))
            episode.last_event_kind, episode.last_event_at = EpisodeEvent.Kind.DISCHARGED, ended_at
            rows.discharges.append(
                Discharge(
                    id=_uuid(rng),
                    episode=episode,
                    reason=_pick(rng, DISCHARGE_SHARES),
                    summary="Summary sent to the referrer and the GP.",
                    discharged_at=ended_at,
                    discharged_by=lead,
                    created_at=ended_at,
                )
            )
        self.measures(rows, episode, lead, infants, carers, opened_on, ends_on if discharged else None)

    def _member_on(self, data: _TeamData, person: User, day: dt.date) -> bool:
        # Practitioners joined in turn; trainees in the later years (see _staff_for).
        if person in data.staff.trainees:
            return day >= self.start + dt.timedelta(days=365 * 7)
        index = data.staff.practitioners.index(person)
        return day >= self.start + dt.timedelta(days=200 * max(0, index - 1))

    def appointments(
        self,
        rows: _Rows,
        data: _TeamData,
        episode: Episode,
        lead: User,
        opened_on: dt.date,
        ends_on: dt.date,
        weeks: int,
    ) -> None:
        rng = self.rng
        # About 17.5 a family at full size: an episode of 26 weeks has about 22.
        count = max(2, round(weeks * rng.uniform(0.75, 1.15)))
        horizon = self.today + dt.timedelta(weeks=3)  # booked ahead for open episodes
        last = min(ends_on, horizon)
        step = max(1, (last - opened_on).days // count) if last > opened_on else 7
        day = opened_on
        while day <= last and count > 0:
            while not clocks.is_working_day(day):
                day += dt.timedelta(days=1)
            if day > last:
                break
            kind = _pick(rng, CONTACT_SHARES)
            starts_at = at(day, rng.choice((9, 10, 11, 13, 14, 15)), rng.choice((0, 30)))
            past = day < self.today
            attendance = _pick(rng, ATTENDANCE_SHARES) if past else ""
            site = rng.choice(data.sites) if kind in (ContactKind.CLINIC, ContactKind.FAMILY_HUB) else None
            mechanism, location = contact_defaults(kind, site.kind if site else "")
            rows.appointments.append(
                Appointment(
                    id=_uuid(rng),
                    episode=episode,
                    kind=kind,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(minutes=rng.choice((50, 60, 60, 90))),
                    practitioner=lead,
                    site=site,
                    attendance=attendance,
                    consultation_mechanism=mechanism,
                    activity_location_type=location,
                    attendance_recorded_at=starts_at + dt.timedelta(hours=2) if past else None,
                    attendance_recorded_by=lead if past else None,
                    created_at=starts_at - dt.timedelta(days=7),
                )
            )
            count -= 1
            day += dt.timedelta(days=max(1, step + rng.randint(-2, 2)))

    def measures(
        self,
        rows: _Rows,
        episode: Episode,
        lead: User,
        infants: list[Infant],
        carers: list[Carer],
        opened_on: dt.date,
        discharged_on: dt.date | None,
    ) -> None:
        """Measures at assessment, at review (12 weeks in) and at discharge. Most parents improve."""
        rng = self.rng
        carer = carers[0]
        infant = infants[0]
        severity = rng.uniform(0.25, 0.75)
        points = [(TimePoint.ASSESSMENT, min(self.today, opened_on + dt.timedelta(days=rng.randint(0, 10))), severity)]
        review_on = opened_on + dt.timedelta(weeks=REVIEW_WEEKS, days=rng.randint(0, 10))
        if review_on < (discharged_on or self.today) and rng.random() < 0.75:
            points.append((TimePoint.REVIEW, review_on, severity * rng.uniform(0.6, 1.05)))
        if discharged_on is not None and rng.random() < 0.65:
            points.append((TimePoint.DISCHARGE, discharged_on, severity * rng.uniform(0.35, 1.1)))
        for time_point, day, level in points:
            codes: list[tuple[str, bool]] = [(code, False) for code in CARER_MEASURES]
            if time_point != TimePoint.DISCHARGE:
                codes.append(("PBQ", True))
            born = infant.date_of_birth
            months = clocks.age_in_months(born, day) if born is not None and born <= day else None
            if months is not None and 2 <= months <= 24 and time_point != TimePoint.DISCHARGE:
                codes.append(("ADBB", True))
            if months is not None and months >= 6 and rng.random() < 0.3:
                codes.append(("ASQSE2", True))
            if rng.random() < 0.3:
                codes.append(("CORE10", False))
            for code, about_infant in codes:
                risky = rng.random() < 0.015
                # Babies' withdrawal (ADBB) is rarer than parents' low mood: most score low.
                answers = self.scorer.answers(rng, code, min(1.0, level * (0.1 if code == "ADBB" else 1)), risky=risky)
                result = self.scorer.score(code, answers)
                administration = Administration(
                    id=_uuid(rng),
                    episode=episode,
                    instrument=code,
                    carer=carer,
                    infant=infant if about_infant else None,
                    time_point=time_point,
                    completed_on=day,
                    source=Source.STAFF,
                    entered_by=lead,
                    answers=answers,
                    total=None if result.total is None else Decimal(str(round(result.total, 2))),
                    subscales=dict(result.subscales.items()),
                    band=result.band or "",
                    alerts=list(result.alerts),
                    complete=result.complete,
                    above_cutoff=result.above_cutoff,
                    created_at=at(day, 15),
                )
                rows.administrations.append(administration)
                for message in result.alerts:
                    self.alert(rows, episode, administration, message, lead, day)

    def alert(
        self, rows: _Rows, episode: Episode, administration: Administration, message: str, lead: User, day: dt.date
    ) -> None:
        rng = self.rng
        raised = at(day, 15, 5)
        # Almost all were acted on the same week; the odd recent one is still open.
        closed = raised + dt.timedelta(hours=rng.randint(1, 72))
        still_open = closed > self.now or rng.random() < 0.02
        rows.alerts.append(
            FamilyAlert(
                id=_uuid(rng),
                family=episode.family,
                message=message,
                about_type=audit.object_type_of(Administration),
                about_id=str(administration.id),
                closed_at=None if still_open else closed,
                closed_by=None if still_open else lead,
                action_taken="" if still_open else "Discussed safety with the parent; GP informed the same day.",
                created_at=raised,
            )
        )


# -- Entry point ----------------------------------------------------------------------------------


def refuse_if_not_empty() -> None:
    if Family.objects.exists():
        raise RegionRefused(
            "The database already has families, so the region was not built. Build it only on an empty "
            "database made for testing or benchmarks: it must never mix with real records."
        )
    if Service.objects.filter(name=SERVICE_NAME).exists():
        raise RegionRefused(
            "The database already has the region's teams from an earlier build that did not finish. "
            "Start again with an empty database."
        )


def chunks(total: int, size: int) -> Iterator[int]:
    done = 0
    while done < total:
        step = min(size, total - done)
        yield step
        done += step


def build(
    *,
    families: int = FULL_FAMILIES,
    years: int = 10,
    teams: int = 5,
    seed: int = 7,
    today: dt.date | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> Built:
    """Build the region on an empty database. Raises RegionRefused if it has families."""
    if not 1 <= teams <= len(TEAMS):
        raise ValueError(f"teams must be 1 to {len(TEAMS)}")
    if families < 1 or years < 1:
        raise ValueError("families and years must be at least 1")
    refuse_if_not_empty()
    day = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    built = Built()
    with transaction.atomic():
        team_data = _fixed_part(rng, day, years, teams, built)
    progress(f"Teams, staff and supervision: {len(team_data)} teams, {built.counts.get('staff', 0)} staff")
    builder = _Builder(rng, team_data, day, years, seed)
    done = 0
    for size in chunks(families, CHUNK_FAMILIES):
        rows = _Rows()
        for _ in range(size):
            builder.family(rows)
        with transaction.atomic():
            rows.write(built)
            # Written in bulk, not through the actions: the search index is filled here (ADR 0015).
            built.add("search keys", search_index.reindex_families([family.pk for family in rows.families]))
        done += size
        progress(f"Families {done:,} of {families:,}")
    # Fresh statistics for the query planner, as autovacuum (PostgreSQL) or a scheduled ANALYZE
    # (SQLite) would give a live database: without them the planner guesses from empty tables and
    # the benchmark would time its guesses, not the reports.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    progress("Statistics refreshed (ANALYZE)")
    return built
