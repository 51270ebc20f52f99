"""The waiting list and caseload presenters, without the database."""

import datetime as dt
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest

from attune.care.presenters import caseload, waiting
from attune.core.formatting import LONDON
from attune.families.models import Carer, Infant
from attune.referrals import first_contact
from attune.referrals.first_contact import PriorityTargets


@pytest.mark.parametrize(
    ("received", "today", "expected"),
    [
        (dt.datetime(2026, 11, 25, 9, tzinfo=LONDON), dt.date(2026, 11, 25), "0 working days"),
        # Late on the 24th, in UTC as stored: the 24th in London too (GMT in November)
        (dt.datetime(2026, 11, 24, 23, 30, tzinfo=dt.UTC), dt.date(2026, 11, 25), "1 working day"),
        # A week is 5 working days, as the triage inbox counts them
        (dt.datetime(2026, 11, 18, 9, tzinfo=LONDON), dt.date(2026, 11, 25), "5 working days"),
        # Received on Friday: 1 working day on Monday
        (dt.datetime(2026, 11, 20, 9, tzinfo=LONDON), dt.date(2026, 11, 23), "1 working day"),
        # Christmas Day and the Boxing Day holiday (Monday 28th) are not working days
        (dt.datetime(2026, 12, 24, 9, tzinfo=LONDON), dt.date(2026, 12, 29), "1 working day"),
        (dt.datetime(2026, 10, 26, 9, tzinfo=LONDON), dt.date(2026, 11, 25), "22 working days"),
    ],
)
def test_waited_counts_working_days_as_triage_does(received: dt.datetime, today: dt.date, expected: str) -> None:
    assert waiting.waited(received, today) == expected


def test_an_unborn_baby_is_named_by_the_due_date() -> None:
    assert waiting.infant_name(Infant(expected_due_date=dt.date(2027, 2, 14))) == "Unborn baby, due 14 February 2027"
    named = Infant(given_name="Ava", family_name="Hughes", expected_due_date=dt.date(2027, 2, 14))
    assert waiting.infant_name(named) == "Ava Hughes (unborn), due 14 February 2027"
    born = Infant(given_name="Ava", family_name="Hughes", date_of_birth=dt.date(2026, 8, 1))
    assert waiting.infant_name(born) == "Ava Hughes"
    assert waiting.participant_name(born) == "Ava Hughes (baby)"


def _family(infants: list[Infant], carers: list[Carer]) -> SimpleNamespace:
    return SimpleNamespace(infants=SimpleNamespace(all=lambda: infants), carers=SimpleNamespace(all=lambda: carers))


def test_a_family_whose_baby_is_unborn_is_named_by_its_main_carer() -> None:
    due = dt.date(2027, 2, 14)
    dad = Carer(given_name="Sam", family_name="Hughes")
    mum = Carer(given_name="Jade", family_name="Hughes", is_main_contact=True)
    unborn = Infant(family_name="Hughes", expected_due_date=due)
    named = Infant(given_name="Ava", family_name="Hughes", expected_due_date=due)
    born = Infant(given_name="Ava", family_name="Hughes", date_of_birth=dt.date(2026, 8, 1))

    assert waiting.family_name(_family([unborn], [dad, mum])) == "Jade Hughes and unborn baby, due 14 February 2027"
    assert waiting.family_name(_family([named], [mum])) == "Jade Hughes and Ava Hughes (unborn), due 14 February 2027"
    assert waiting.family_name(_family([unborn], [])) == "Unborn baby, due 14 February 2027"
    assert waiting.family_name(_family([born], [mum])) == "Ava Hughes"


@pytest.mark.parametrize(("value", "text"), [("distress", "Distress"), ("disorder", "Disorder"), ("", "Not recorded")])
def test_level_of_need_is_its_short_name(value: str, text: str) -> None:
    assert waiting.level_of_need(value) == text


@pytest.mark.parametrize(("value", "text"), [("12.00", "12"), ("7.50", "7.5"), ("0.75", "0.75"), ("10", "10")])
def test_numbers_read_as_people_write_them(value: str, text: str) -> None:
    assert waiting.number(Decimal(value)) == text


@pytest.mark.parametrize(
    ("load", "maximum", "expected"),
    [
        ("0", "12", {"text": "0%"}),
        ("10", "12", {"text": "83%"}),
        ("10.2", "12", "85% (nearly full)"),
        ("12", "12", "100% (nearly full)"),
        ("13", "12", "108% (over capacity)"),
        ("0", "0", {"text": "No caseload"}),
        ("1", "0", "Over capacity"),
    ],
)
def test_utilisation_is_orange_from_85_and_red_past_100(load: str, maximum: str, expected: object) -> None:
    cell = caseload.utilisation(Decimal(load), Decimal(maximum))
    if isinstance(expected, dict):
        assert cell == expected
    else:
        colour = "red" if "over" in str(expected).lower() else "orange"
        assert cell == {"html": f'<strong class="nhsuk-tag nhsuk-tag--{colour}">{expected}</strong>'}


@pytest.mark.parametrize(("days", "text"), [(0, "Under 1 week"), (6, "Under 1 week"), (7, "1 week"), (30, "4 weeks")])
def test_weeks_in_treatment(days: int, text: str) -> None:
    today = dt.date(2026, 11, 25)
    opened = dt.datetime.combine(today - dt.timedelta(days=days), dt.time(10), tzinfo=LONDON)
    assert caseload.weeks_in_treatment(opened, today) == text


def test_notes_lines_name_each_kind_of_work_left() -> None:
    assert caseload.notes_lines({"drafts": 2, "countersign": 1, "missing": 0}) == [
        "2 draft notes to sign",
        "1 note awaiting countersignature",
    ]
    assert caseload.notes_lines(None) == []


def test_a_wait_reads_against_the_first_contact_target_of_the_day_of_acceptance() -> None:
    team = uuid.uuid4()
    targets = first_contact.History.of(
        {team},
        [
            (team, dt.date(2026, 1, 1), PriorityTargets(5, 10, 20)),
            (team, dt.date(2026, 11, 1), PriorityTargets(5, 10, 10)),
        ],
        default=PriorityTargets(5, 10, 20),
    )
    received = dt.datetime(2026, 10, 16, 9, tzinfo=LONDON)
    today = dt.date(2026, 11, 25)

    accepted_in_october = waiting.first_contact_wait(
        received, dt.datetime(2026, 10, 21, 9, tzinfo=LONDON), targets, team, today
    )
    assert (accepted_in_october.text, accepted_in_october.over_target) == ("28 working days (target 20)", True)
    assert "Over target" in accepted_in_october.html
    accepted_in_november = waiting.first_contact_wait(
        received, dt.datetime(2026, 11, 2, 9, tzinfo=LONDON), targets, team, today
    )
    assert accepted_in_november.target == 10
    on_target = waiting.first_contact_wait(
        dt.datetime(2026, 11, 11, 9, tzinfo=LONDON), dt.datetime(2026, 11, 13, 9, tzinfo=LONDON), targets, team, today
    )
    assert (on_target.text, on_target.over_target) == ("10 working days (target 10)", False)
    assert "Over target" not in on_target.html
    assert waiting.first_contact_wait(received, None, targets, team, today).text == "28 working days"


def test_each_wait_reads_against_its_own_prioritys_target_of_the_day_of_acceptance() -> None:
    team = uuid.uuid4()
    targets = first_contact.History.of(
        {team},
        [
            (team, dt.date(2026, 1, 1), PriorityTargets(5, 20, 30)),
            (team, dt.date(2026, 11, 1), PriorityTargets(3, 8, 25)),
        ],
        default=PriorityTargets(5, 10, 20),
    )
    received = dt.datetime(2026, 10, 28, 9, tzinfo=LONDON)  # 20 working days before the 25th
    today = dt.date(2026, 11, 25)
    in_october = dt.datetime(2026, 10, 30, 9, tzinfo=LONDON)
    in_november = dt.datetime(2026, 11, 2, 9, tzinfo=LONDON)

    def wait(accepted: dt.datetime, priority: str, team_id: uuid.UUID = team) -> tuple[str, bool]:
        found = waiting.first_contact_wait(received, accepted, targets, team_id, today, priority)
        return found.text, found.over_target

    assert wait(in_november, "urgent") == ("20 working days (target 3)", True)
    assert wait(in_november, "soon") == ("20 working days (target 8)", True)
    assert wait(in_november, "routine") == ("20 working days (target 25)", False)
    # No priority given: the routine target
    assert wait(in_november, "") == ("20 working days (target 25)", False)
    # Accepted before the change: the targets of then
    assert wait(in_october, "urgent") == ("20 working days (target 5)", True)
    assert wait(in_october, "soon") == ("20 working days (target 20)", False)
    # A team that has set nothing has the defaults
    assert wait(in_november, "soon", uuid.uuid4()) == ("20 working days (target 10)", True)
