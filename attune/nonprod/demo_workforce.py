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
from attune.nonprod import demo_data, scenario
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
class DemoEvidence:
    competency: str
    kind: EvidenceKind
    days_ago: int
    description: str


@dataclass(frozen=True)
class DemoSignOff:
    competency: str
    days_ago: int
    comment: str


@dataclass(frozen=True)
class DemoPlan:
    trainee: str
    qualifies_in_days: int  # from today to the expected qualification date
    evidence: tuple[DemoEvidence, ...]
    sign_offs: tuple[DemoSignOff, ...]


@dataclass(frozen=True)
class DemoActivity:
    team: str
    kind: ActivityKind
    days_ago: int
    audience: str
    attendees: int
    topic: str
    hours: Decimal
    recorded_by: str


# The training histories and the consultation and training given are data
# (nonprod/data/workforce.toml).
PLANS = demo_data.read("workforce", "plan", DemoPlan)
ACTIVITIES = demo_data.read("workforce", "activity", DemoActivity)

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
    for evidence in spec.evidence:
        services.add_evidence(
            actor=demo_actor(trainee, team),
            plan=plan,
            competency_code=evidence.competency,
            kind=evidence.kind,
            dated_on=max(earliest, today - dt.timedelta(days=evidence.days_ago)),
            description=evidence.description,
        )
    for sign_off in spec.sign_offs:
        services.sign_off_competency(
            actor=demo_actor(supervisor, team),
            plan=plan,
            competency_code=sign_off.competency,
            signed_on=max(earliest, today - dt.timedelta(days=sign_off.days_ago)),
            comment=sign_off.comment,
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
    for activity in ACTIVITIES:
        team, held_on = teams[activity.team], today - dt.timedelta(days=activity.days_ago)
        found = NonCaseloadActivity.objects.filter(team=team, topic=activity.topic).first()
        if found is None:
            services.record_activity(
                actor=demo_actor(users[activity.recorded_by], team),
                team=team,
                kind=activity.kind,
                held_on=held_on,
                audience=activity.audience,
                attendees=activity.attendees,
                topic=activity.topic,
                hours=activity.hours,
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
