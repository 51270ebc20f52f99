"""The supervision indicator reads the standard in force on each week or fortnight it counts, so
a standard a service sets today leaves last quarter's report as it was."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.core.actors import Actor
from attune.organisations.roles import Role
from attune.organisations.tests.world import World
from attune.reports.indicators.supervision import periods_met
from attune.reports.tests.factories import END, START, TODAY, at, exact, row, scope, table
from attune.supervision import services
from attune.supervision.standard import FORTNIGHT, PARENT_INFANT_FOUNDATION, Standard
from attune.supervision.tests.factories import given_session, member, standard_from

pytestmark = pytest.mark.django_db
PIF = PARENT_INFANT_FOUNDATION
# 90 minutes every fortnight for everyone: 45 minutes a week meets it, but not the foundation's hour.
OWN = Standard(90, Decimal("30"), 3, FORTNIGHT, FORTNIGHT)
CHANGED = "The supervision standard changed during the period"


def _weekly_45_minutes(world: World) -> User:
    """A full-time practitioner (no experience recorded) with 45 minutes every week of the quarter."""
    person = member(world.hub, Role.PRACTITIONER)
    supervisor = UserFactory()
    day = START
    while day <= END:
        given_session(supervisor, [person], day, minutes=45)
        day += dt.timedelta(days=7)
    return person


def test_last_quarters_report_is_unchanged_by_a_standard_set_from_today(world: World) -> None:
    _weekly_45_minutes(world)
    # 12 whole weeks from Monday 6 October to Sunday 28 December, none with a full hour.
    before = row(table(scope(world.hub), "supervision"), "Example hub team")
    assert before == {"people": 1, "required": 12, "met": 0}

    with time_machine.travel(at(TODAY), tick=False):
        services.change_supervision_standard(
            actor=Actor.system("test"), service=world.hub.service, standard=OWN, effective_from=TODAY
        )
    after = table(scope(world.hub), "supervision")
    assert row(after, "Example hub team") == before
    assert not [note for note in exact(after.notes) if CHANGED in note]


def test_a_standard_in_force_for_the_whole_quarter_is_what_the_quarter_is_judged_by(world: World) -> None:
    # The same data, had the standard been set before the quarter: 6 fortnights, each with 90 minutes.
    _weekly_45_minutes(world)
    standard_from(world.hub.service, START - dt.timedelta(days=30), OWN)
    assert row(table(scope(world.hub), "supervision"), "Example hub team") == {"people": 1, "required": 6, "met": 6}
    # Another service's standard has no say.
    standard_from(world.other_team.service, START - dt.timedelta(days=30), PIF)
    assert row(table(scope(world.hub), "supervision"), "Example hub team")["met"] == 6


def test_a_change_during_the_quarter_judges_each_period_by_the_standard_on_its_first_day(world: World) -> None:
    _weekly_45_minutes(world)
    # From Monday 17 November (a fortnight's first day): 6 weeks before by the foundation's
    # standard (none met), 3 fortnights after by the service's own (all met).
    standard_from(world.hub.service, dt.date(2025, 11, 17), OWN)
    found = table(scope(world.hub), "supervision")
    assert row(found, "Example hub team") == {"people": 1, "required": 9, "met": 3}
    assert [note for note in exact(found.notes) if CHANGED in note]


def test_a_fortnight_that_would_count_a_week_twice_is_left_out() -> None:
    # The service's own standard from Monday 10 November, half-way through the fortnight of 3 to
    # 16 November: that fortnight would take in a week already judged as a week.
    def standard_on(day: dt.date) -> Standard:
        return OWN if day >= dt.date(2025, 11, 10) else PIF

    sessions = [(START + dt.timedelta(days=7 * n), 60) for n in range(14)]
    required, met = periods_met(
        start=dt.date(2025, 10, 6),
        end=dt.date(2025, 12, 28),
        experience_since=None,
        weekly_hours=None,
        sessions=sessions,
        standard_on=standard_on,
    )
    # 5 weeks (6 October to 9 November), then the fortnights from 17 November: 3.
    assert (required, met) == (8, 8)
