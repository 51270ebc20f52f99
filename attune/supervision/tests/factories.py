"""Supervision history for tests, written directly (as the demo history would be) without a request."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict
from decimal import Decimal

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.care.models import Episode
from attune.organisations.models import Service, Team
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.supervision.models import (
    CaseDiscussion,
    ClinicalExperience,
    SessionAttendee,
    SessionFormat,
    SessionKind,
    SupervisionSession,
    SupervisionStandardSetting,
)
from attune.supervision.standard import Standard


def member(team: Team, role: Role = Role.PRACTITIONER, **user: str) -> User:
    person: User = UserFactory(**user)
    MembershipFactory(user=person, role=role, team=team, starts_on=dt.date(2024, 1, 1))
    return person


def given_session(
    supervisor: User,
    supervisees: Sequence[User],
    held_on: dt.date,
    minutes: int = 60,
    episodes: Sequence[Episode] = (),
) -> SupervisionSession:
    session = SupervisionSession.objects.create(
        supervisor=supervisor,
        kind=SessionKind.GROUP if len(supervisees) > 1 else SessionKind.INDIVIDUAL,
        format=SessionFormat.VIDEO,
        held_on=held_on,
        duration_minutes=minutes,
        recorded_by=supervisor,
    )
    for person in supervisees:
        SessionAttendee.objects.create(session=session, supervisee=person)
    for episode in episodes:
        CaseDiscussion.objects.create(session=session, episode=episode)
    return session


def experience(person: User, since: dt.date, hours: str = "37.5") -> ClinicalExperience:
    return ClinicalExperience.objects.create(
        practitioner=person, under_twos_experience_since=since, weekly_hours=Decimal(hours)
    )


def standard_from(service: Service, day: dt.date, standard: Standard) -> SupervisionStandardSetting:
    """A service's own supervision standard from a day on, written directly."""
    return SupervisionStandardSetting.objects.create(service=service, effective_from=day, **asdict(standard))
