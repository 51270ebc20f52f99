"""Contacts with an interpreter (issue 19): attended contacts whose interpreter booking was
confirmed and not cancelled, counted in the contacts section, shown through the same small-number
suppression as every figure, and matched by the bench's hand-written SQL."""

import datetime as dt

import pytest
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Appointment, InterpreterBooking
from attune.nonprod import bench_sql
from attune.nonprod.management.commands.bench_reports import _compare
from attune.organisations.tests.world import World
from attune.reports.indicators import build_report
from attune.reports.suppression import STAR, Rule, present
from attune.reports.tests.factories import END, START, TODAY, at, contact, episode, scope

pytestmark = pytest.mark.django_db


def interpreter(visit: Appointment, by: User, *, confirmed: bool = True, cancelled: bool = False) -> None:
    now = timezone.now()
    InterpreterBooking.objects.create(
        appointment=visit,
        language="Polish",
        provider="Lancashire Interpreting Service",
        professional_confirmed=True,
        booked_at=now,
        booked_by=by,
        confirmed_at=now if confirmed else None,
        confirmed_by=by if confirmed else None,
        cancelled_at=now if cancelled else None,
        cancelled_by=by if cancelled else None,
        cancel_reason="Moved" if cancelled else "",
    )


def hub_with_interpreters(world: World, practitioner: User) -> None:
    one = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
    two = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
    interpreter(contact(one, at(dt.date(2025, 10, 7))), practitioner)  # counted
    interpreter(contact(one, at(dt.date(2025, 10, 14), 10), "6"), practitioner)  # seen late: counted
    interpreter(contact(two, at(dt.date(2025, 10, 8))), practitioner, confirmed=False)  # never confirmed
    cancelled_then_rebooked = contact(two, at(dt.date(2025, 10, 15)))
    interpreter(cancelled_then_rebooked, practitioner, cancelled=True)
    interpreter(cancelled_then_rebooked, practitioner, confirmed=False)
    interpreter(contact(two, at(dt.date(2025, 10, 22)), "3"), practitioner)  # did not attend
    interpreter(contact(one, at(START - dt.timedelta(days=2))), practitioner)  # before the period
    contact(two, at(dt.date(2025, 11, 5)))  # attended, no interpreter
    other = episode(world.satellite, practitioner, at(dt.date(2025, 9, 1)))
    interpreter(contact(other, at(dt.date(2025, 10, 7))), practitioner)  # another team


def test_contacts_with_a_confirmed_interpreter_are_counted(world: World, practitioner: User) -> None:
    hub_with_interpreters(world, practitioner)
    report = build_report(scope(world.hub), today=TODAY)
    contacts = next(section for section in report.sections if section.key == "contacts")
    found = next(table for table in contacts.tables if table.key == "interpreted_contacts")
    assert found.rows[0].values == {"interpreted": 2, "attended": 5}

    exact = present(report, None)
    shown = next(t for s in exact.sections for t in s.tables if t.key == "interpreted_contacts")
    assert [cell.text for cell in shown.rows[0].cells] == ["2", "5", "40%"]


def test_a_shared_report_suppresses_a_small_number_of_interpreted_contacts(world: World, practitioner: User) -> None:
    hub_with_interpreters(world, practitioner)
    shared = present(build_report(scope(world.hub), today=TODAY), Rule())
    shown = next(t for s in shared.sections for t in s.tables if t.key == "interpreted_contacts")
    assert shown.rows[0].cells[0].text == STAR
    assert shown.rows[0].cells[0].withheld
    assert shown.rows[0].cells[2].number is None  # nor a percentage that would give it away


def test_the_hand_written_sql_counts_the_same_contacts(world: World, practitioner: User) -> None:
    hub_with_interpreters(world, practitioner)
    covered = scope(world.hub)
    report = build_report(covered, today=TODAY)
    sql = bench_sql.headline(sorted(covered.team_ids, key=str), START, END, TODAY)
    assert sql.interpreted_contacts == 2
    assert _compare(report, sql) == []
    # What the bench's comparison needs to check this table too (bench_reports._compare):
    tables = {table.key: table for section in report.sections for table in section.tables}
    attended = sql.appointments_by_attendance.get("5", 0) + sql.appointments_by_attendance.get("6", 0)
    assert tables["interpreted_contacts"].rows[0].values == {
        "interpreted": sql.interpreted_contacts,
        "attended": attended,
    }
