"""Setting the scene for workforce tests: plans, posts and activities straight into the database
(through the actions where the rules matter)."""

import datetime as dt
from decimal import Decimal

from attune.accounts.models import User
from attune.organisations.models import Team
from attune.supervision.models import SessionAttendee, SessionFormat, SessionKind, SupervisionSession
from attune.workforce.models import ActivityKind, NonCaseloadActivity, Post, TrainingPlan

STARTED = dt.date(2024, 11, 1)


def plan(trainee: User, team: Team, supervisor: User, *, started_on: dt.date = STARTED) -> TrainingPlan:
    made: TrainingPlan = TrainingPlan.objects.create(
        trainee=trainee,
        team=team,
        programme="PG Diploma in Parent-Infant Psychotherapy",
        course_provider="Anna Freud",
        started_on=started_on,
        expected_qualification_on=started_on.replace(year=started_on.year + 2),
        framework_code="demo",
        supervisor=supervisor,
    )
    return made


def supervision(supervisor: User, held_on: dt.date, minutes: int, *supervisees: User) -> SupervisionSession:
    session: SupervisionSession = SupervisionSession.objects.create(
        supervisor=supervisor,
        kind=SessionKind.GROUP if len(supervisees) > 1 else SessionKind.INDIVIDUAL,
        format=SessionFormat.VIDEO,
        held_on=held_on,
        duration_minutes=minutes,
        recorded_by=supervisor,
    )
    for person in supervisees:
        SessionAttendee.objects.create(session=session, supervisee=person)
    return session


def post(team: Team, title: str, starts_on: dt.date, ends_on: dt.date | None, holder: User | None = None) -> Post:
    made: Post = Post.objects.create(
        team=team, title=title, holder=holder, starts_on=starts_on, ends_on=ends_on, funded_by="Example Council"
    )
    return made


def activity(team: Team, by: User, held_on: dt.date, *, hours: str = "1.5", attendees: int = 10) -> NonCaseloadActivity:
    made: NonCaseloadActivity = NonCaseloadActivity.objects.create(
        team=team,
        kind=ActivityKind.TRAINING,
        held_on=held_on,
        audience="Health visitors",
        attendees=attendees,
        topic="Babies' cues",
        hours=Decimal(hours),
        recorded_by=by,
    )
    return made
