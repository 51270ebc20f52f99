"""The demo's workforce: a training plan for each satellite trainee (Aisha Begum mid-programme
with several competencies signed off, Megan Riley fewer), the satellite's posts and their
extensions, a hub post, and consultation and training given over the past year.

Plans, evidence and sign-offs are made through the workforce actions, so the audit log reads as
the real journey; dates are relative to today. Loading is idempotent: a plan is made once per
trainee; posts and activities are found by their title or topic and re-dated on every load, so
the satellite's extension posts always end within 8 weeks and the team lead sees the warning.
Supervised hours are not loaded here: they are derived from the care and supervision demo.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.core.actors import Actor
from attune.nonprod import scenario
from attune.nonprod.actors import DEMO, demo_actor
from attune.organisations.models import Team
from attune.workforce import services
from attune.workforce.models import ActivityKind, EvidenceKind, NonCaseloadActivity, Post, TrainingPlan

PROGRAMME = "Postgraduate Diploma in Parent-Infant Psychotherapy (recruit-to-train)"
PROVIDER = "Anna Freud Centre"
SATELLITE_FUNDER = "Blackburn with Darwen Council"
FIRST_CONTRACT = (scenario.SATELLITE_START, dt.date(2025, 3, 31))
EXTENSION_STARTS = dt.date(2025, 4, 1)


@dataclass(frozen=True)
class DemoPlan:
    trainee: str
    # Days from today to the expected qualification date.
    qualifies_in_days: int
    # (competency, evidence kind, days ago, what it shows); signed-off ones: (code, days ago, comment).
    evidence: tuple[tuple[str, EvidenceKind, int, str], ...]
    sign_offs: tuple[tuple[str, int, str], ...]


PLANS = (
    DemoPlan(
        "trainee_1",
        qualifies_in_days=340,
        evidence=(
            (
                "AS1",
                EvidenceKind.OBSERVED_SESSION,
                520,
                "First assessment visit observed by Helen: warm, clear about consent",
            ),
            ("AS2", EvidenceKind.COURSE_WORK, 470, "Infant observation seminar paper, passed"),
            ("AS2", EvidenceKind.OBSERVED_SESSION, 440, "Structured play observation with a 4-month-old and mother"),
            (
                "AS3",
                EvidenceKind.CASE_DISCUSSION,
                380,
                "Formulation of a family with birth trauma discussed in group supervision",
            ),
            (
                "RS1",
                EvidenceKind.CASE_DISCUSSION,
                330,
                "Same-day escalation of a mother's suicidal thoughts to the perinatal team",
            ),
            ("RS3", EvidenceKind.OBSERVED_SESSION, 300, "Home visit plan with check-in and check-out reviewed"),
            ("IN1", EvidenceKind.COURSE_WORK, 240, "Intervention planning essay on video feedback, passed"),
            ("IN1", EvidenceKind.CASE_DISCUSSION, 210, "Goals agreed with two parents discussed in supervision"),
            ("IN2", EvidenceKind.OBSERVED_SESSION, 90, "Video interaction guidance session observed"),
            ("RS2", EvidenceKind.CASE_DISCUSSION, 60, "Safeguarding referral for a baby with unexplained bruising"),
            ("WW1", EvidenceKind.OBSERVED_SESSION, 30, "Consultation to a health visitor team observed"),
        ),
        sign_offs=(
            ("AS1", 500, "Engages families confidently and explains the service clearly."),
            ("AS2", 420, "Careful, detailed observation that keeps the baby's experience in mind."),
            ("RS1", 320, "Recognised risk quickly and acted the same day, as she should."),
            ("AS3", 360, "Formulations are thoughtful and shared with parents."),
            ("RS3", 290, "Follows lone-working procedures every time."),
            ("IN1", 200, "Plans are clear, agreed with the family and fit the formulation."),
        ),
    ),
    DemoPlan(
        "trainee_2",
        qualifies_in_days=520,
        evidence=(
            ("AS1", EvidenceKind.OBSERVED_SESSION, 480, "First assessment visit observed"),
            ("AS2", EvidenceKind.COURSE_WORK, 400, "Infant observation seminar paper, passed"),
            ("RS1", EvidenceKind.CASE_DISCUSSION, 250, "Risk in a family with domestic abuse discussed in supervision"),
            ("AS3", EvidenceKind.CASE_DISCUSSION, 120, "First formulation brought to group supervision"),
        ),
        sign_offs=(
            ("AS1", 450, "Warm and clear with families from the first visit."),
            ("RS1", 230, "Knows when and how to escalate risk."),
        ),
    ),
)

# (team key, title, holder key, starts on, ends on): the two satellite posts as first funded.
FIXED_POSTS = (
    ("satellite", "Recruit-to-train parent-infant therapist (first contract)", "trainee_1", *FIRST_CONTRACT),
    ("satellite", "Recruit-to-train parent-infant therapist (first contract)", "trainee_2", *FIRST_CONTRACT),
)
# Extensions end this many days from today, so the 8-week warning always shows.
EXTENSIONS = (("trainee_1", 35), ("trainee_2", 56))
EXTENSION_TITLE = "Recruit-to-train parent-infant therapist (extension)"
HUB_POSTS = (
    (
        "Consultant parent-infant psychotherapist and clinical supervisor",
        "supervisor",
        "NHS Lancashire and South Cumbria ICB",
    ),
    ("Parent-infant therapist", "practitioner", "NHS Lancashire and South Cumbria ICB"),
)

# (team key, kind, days ago, audience, attendees, topic, hours, who recorded it)
ACTIVITIES = (
    (
        "satellite",
        ActivityKind.TRAINING,
        330,
        "Health visitors, Blackburn",
        18,
        "Understanding babies' cues",
        "3",
        "supervisor",
    ),
    (
        "satellite",
        ActivityKind.CONSULTATION,
        250,
        "Family hub staff, Darwen",
        4,
        "A baby who will not settle",
        "1.5",
        "trainee_1",
    ),
    (
        "satellite",
        ActivityKind.CONSULTATION,
        120,
        "Midwives, Royal Blackburn",
        6,
        "Bonding after a traumatic birth",
        "1",
        "trainee_1",
    ),
    (
        "satellite",
        ActivityKind.TRAINING,
        40,
        "Family hub practitioners",
        22,
        "Parent-infant relationships: an introduction",
        "2.5",
        "trainee_2",
    ),
    (
        "hub",
        ActivityKind.TRAINING,
        300,
        "Health visitors, Blackpool",
        25,
        "Infant mental health in the first 1001 days",
        "3",
        "supervisor",
    ),
    (
        "hub",
        ActivityKind.CONSULTATION,
        150,
        "Children's social care, Blackpool",
        5,
        "Observing parent-infant interaction",
        "1.5",
        "practitioner",
    ),
    (
        "hub",
        ActivityKind.CONSULTATION,
        20,
        "Perinatal mental health team",
        8,
        "Joint working around a referral",
        "1",
        "practitioner",
    ),
)


def _plan(spec: DemoPlan, teams: dict[str, Team], users: dict[str, User], today: dt.date) -> TrainingPlan:
    trainee, supervisor, team = users[spec.trainee], users["supervisor"], teams["satellite"]
    plan = TrainingPlan.objects.filter(trainee=trainee).first()
    if plan is not None:
        return plan
    plan = services.create_plan(
        actor=demo_actor(users["team_lead"], team),
        trainee=trainee,
        team=team,
        programme=PROGRAMME,
        course_provider=PROVIDER,
        started_on=scenario.SATELLITE_START,
        expected_qualification_on=today + dt.timedelta(days=spec.qualifies_in_days),
        supervisor=supervisor,
    )
    earliest = scenario.SATELLITE_START
    for code, kind, days_ago, text in spec.evidence:
        services.add_evidence(
            actor=demo_actor(trainee, team),
            plan=plan,
            competency_code=code,
            kind=kind,
            dated_on=max(earliest, today - dt.timedelta(days=days_ago)),
            description=text,
        )
    for code, days_ago, comment in spec.sign_offs:
        services.sign_off_competency(
            actor=demo_actor(supervisor, team),
            plan=plan,
            competency_code=code,
            signed_on=max(earliest, today - dt.timedelta(days=days_ago)),
            comment=comment,
        )
    return plan


def _post(team: Team, title: str, holder: User | None, starts: dt.date, ends: dt.date | None, funder: str) -> Post:
    post = Post.objects.filter(team=team, title=title, holder=holder).first()
    if post is None:
        return services.set_post(
            actor=Actor.system(DEMO),
            team=team,
            title=title,
            holder=holder,
            starts_on=starts,
            ends_on=ends,
            funded_by=funder,
        )
    if (post.starts_on, post.ends_on, post.funded_by) != (starts, ends, funder):
        Post.objects.filter(pk=post.pk).update(starts_on=starts, ends_on=ends, funded_by=funder)
    return post


def _posts(teams: dict[str, Team], users: dict[str, User], today: dt.date) -> None:
    for team_key, title, holder, starts, ends in FIXED_POSTS:
        _post(teams[team_key], title, users[holder], starts, ends, SATELLITE_FUNDER)
    for holder, days in EXTENSIONS:
        ends = max(today + dt.timedelta(days=days), EXTENSION_STARTS)
        _post(teams["satellite"], EXTENSION_TITLE, users[holder], EXTENSION_STARTS, ends, SATELLITE_FUNDER)
    for title, holder, funder in HUB_POSTS:
        _post(teams["hub"], title, users[holder], scenario.HUB_START, None, funder)


def _activities(teams: dict[str, Team], users: dict[str, User], today: dt.date) -> None:
    for team_key, kind, days_ago, audience, attendees, topic, hours, who in ACTIVITIES:
        team, held_on = teams[team_key], today - dt.timedelta(days=days_ago)
        found = NonCaseloadActivity.objects.filter(team=team, topic=topic).first()
        if found is None:
            services.record_activity(
                actor=demo_actor(users[who], team),
                team=team,
                kind=kind,
                held_on=held_on,
                audience=audience,
                attendees=attendees,
                topic=topic,
                hours=Decimal(hours),
            )
        elif found.held_on != held_on:
            NonCaseloadActivity.objects.filter(pk=found.pk).update(held_on=held_on)


@transaction.atomic
def load(*, teams: dict[str, Team], users: dict[str, User]) -> list[TrainingPlan]:
    today = timezone.localdate()
    plans = [_plan(spec, teams, users, today) for spec in PLANS]
    _posts(teams, users, today)
    _activities(teams, users, today)
    services.warn_posts_ending(today)
    return plans


def load_for_scenario() -> list[TrainingPlan]:
    """Load the workforce demo onto the scenario `scenario.load()` has just loaded."""
    teams = {"hub": scenario.teams()[0], "satellite": scenario.teams()[1]}
    users = {person.key: User.objects.get(email=person.email) for person in scenario.PEOPLE}
    return load(teams=teams, users=users)
