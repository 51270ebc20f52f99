"""Eligibility: the age range, unborn babies, the area rule, the first 1001 days and the age-out
warning, with the exact words a referrer or coordinator reads. Pure: no database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attune.core import clocks
from attune.referrals.eligibility import Assessment, Rules, age_problem, area_problem, assess

TODAY = date(2026, 11, 26)
BLACKPOOL = {"bpl": "Blackpool Council"}
RULES = Rules(areas=BLACKPOOL)


def _assess(
    rules: Rules = RULES,
    *,
    born: date | None = None,
    due: date | None = None,
    area: str | None = "bpl",
    today: date = TODAY,
) -> Assessment:
    return assess(rules, born=born, due=due, area_id=area, area_name="Somewhere Council", today=today)


# -- Age ------------------------------------------------------------------------------------------


def test_a_child_under_5_is_in_range() -> None:
    assert age_problem(RULES, born=date(2022, 1, 1), due=None, today=TODAY) == ""


def test_the_day_before_the_5th_birthday_is_in_range() -> None:
    assert age_problem(RULES, born=date(2021, 11, 27), due=None, today=TODAY) == ""


def test_on_the_5th_birthday_the_child_is_out_of_range() -> None:
    assert (
        age_problem(RULES, born=date(2021, 11, 26), due=None, today=TODAY)
        == "The child is 5. This team works with children up to their 5th birthday"
    )


def test_an_older_child_is_told_their_age() -> None:
    assert (
        age_problem(RULES, born=date(2019, 3, 1), due=None, today=TODAY)
        == "The child is 7. This team works with children up to their 5th birthday"
    )


@pytest.mark.parametrize(
    ("max_age", "ordinal"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th")]
)
def test_the_upper_age_is_per_team_and_written_as_an_ordinal(max_age: int, ordinal: str) -> None:
    rules = Rules(max_age_years=max_age)
    born = clocks.add_years(TODAY, -max_age)
    assert age_problem(rules, born=born, due=None, today=TODAY) == (
        f"The child is {max_age}. This team works with children up to their {ordinal} birthday"
    )
    assert age_problem(rules, born=born + timedelta(days=1), due=None, today=TODAY) == ""


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    assert (
        age_problem(RULES, born=TODAY + timedelta(days=1), due=None, today=TODAY)
        == "Date of birth must be today or in the past"
    )
    assert age_problem(RULES, born=TODAY, due=None, today=TODAY) == ""


def test_a_baby_needs_a_date_of_birth_or_a_due_date() -> None:
    assert age_problem(RULES, born=None, due=None, today=TODAY) == "Enter the baby's date of birth or due date"


def test_the_date_of_birth_wins_over_a_due_date() -> None:
    assert age_problem(RULES, born=date(2026, 10, 1), due=date(2020, 1, 1), today=TODAY) == ""


# -- Unborn babies ---------------------------------------------------------------------------------


def test_an_unborn_baby_is_in_range() -> None:
    assert age_problem(RULES, born=None, due=date(2027, 3, 1), today=TODAY) == ""


def test_a_team_that_takes_only_born_babies_says_so() -> None:
    rules = Rules(accepts_unborn=False)
    assert (
        age_problem(rules, born=None, due=date(2027, 3, 1), today=TODAY)
        == "This team takes referrals only after the baby is born"
    )


def test_a_due_date_up_to_10_months_ahead_is_accepted() -> None:
    limit = clocks.add_months(TODAY, 10)
    assert limit == date(2027, 9, 26)
    assert age_problem(RULES, born=None, due=limit, today=TODAY) == ""
    assert (
        age_problem(RULES, born=None, due=limit + timedelta(days=1), today=TODAY)
        == "The due date must be within 10 months of today"
    )


def test_a_due_date_up_to_two_weeks_past_is_accepted() -> None:
    assert age_problem(RULES, born=None, due=TODAY - timedelta(days=14), today=TODAY) == ""
    assert (
        age_problem(RULES, born=None, due=TODAY - timedelta(days=15), today=TODAY)
        == "The due date has passed. If the baby has been born, give their date of birth"
    )


# -- Area -----------------------------------------------------------------------------------------


def test_an_address_in_the_teams_area_is_in_range() -> None:
    assert area_problem(RULES, area_id="bpl", area_name="Blackpool Council") == ""


def test_an_address_elsewhere_names_the_area_and_what_the_team_covers() -> None:
    rules = Rules(areas={"b": "Blackpool Council", "a": "Blackburn with Darwen Borough Council"})
    assert (
        area_problem(rules, area_id="lancs", area_name="Lancashire County Council")
        == "This address is in Lancashire County Council. "
        "This team covers Blackburn with Darwen Borough Council and Blackpool Council"
    )


def test_an_address_in_an_unnamed_area_says_another_area() -> None:
    assert area_problem(RULES, area_id="x") == "This address is in another area. This team covers Blackpool Council"


def test_a_postcode_with_no_known_council_is_a_problem() -> None:
    assert area_problem(RULES, area_id=None) == "We could not find which council area this postcode is in"


def test_a_team_with_no_areas_set_takes_any_known_area() -> None:
    assert area_problem(Rules(), area_id="anywhere") == ""
    assert area_problem(Rules(), area_id=None) == "We could not find which council area this postcode is in"


# -- The whole assessment --------------------------------------------------------------------------


def test_assessment_gathers_every_reason() -> None:
    result = _assess(born=date(2020, 1, 1), area="elsewhere")
    assert not result.eligible
    assert result.reasons == (
        "The child is 6. This team works with children up to their 5th birthday",
        "This address is in Somewhere Council. This team covers Blackpool Council",
    )


def test_an_eligible_referral_has_no_reasons() -> None:
    result = _assess(born=date(2026, 5, 1))
    assert result.eligible
    assert result.reasons == ()
    assert result.warnings == ()
    assert result.ages_out_on == date(2031, 5, 1)


def test_the_age_out_warning_when_the_child_turns_5_during_the_expected_work() -> None:
    born = clocks.add_years(TODAY, -5) + timedelta(days=60)
    result = _assess(born=born)
    assert result.eligible
    assert result.ages_out_on == TODAY + timedelta(days=60)
    assert result.warnings == ("Turns 5 on 25 January 2027, within the 26 weeks the work is expected to take",)


def test_the_age_out_warning_boundary_is_the_end_of_the_expected_episode() -> None:
    episode_end = TODAY + timedelta(weeks=26)
    assert episode_end == date(2027, 5, 27)
    on_the_last_day = _assess(born=date(2022, 5, 27))
    assert on_the_last_day.ages_out_on == episode_end
    assert on_the_last_day.warnings == ("Turns 5 on 27 May 2027, within the 26 weeks the work is expected to take",)
    a_day_later = _assess(born=date(2022, 5, 28))
    assert a_day_later.warnings == ()


def test_the_expected_episode_length_is_per_team() -> None:
    rules = Rules(areas=BLACKPOOL, expected_episode_weeks=12)
    born = clocks.add_years(TODAY, -5) + timedelta(weeks=20)
    assert _assess(rules, born=born).warnings == ()
    assert _assess(RULES, born=born).warnings != ()
    soon = clocks.add_years(TODAY, -5) + timedelta(weeks=10)
    assert _assess(rules, born=soon).warnings == (
        "Turns 5 on 4 February 2027, within the 12 weeks the work is expected to take",
    )


def test_a_leap_day_baby_is_out_of_range_on_the_day_the_age_out_warning_names() -> None:
    """Born 29 February 2024: the warning says the child turns 5 on 1 March 2029, so on that day
    the referral is out of range, and the day before it is not."""
    born = date(2024, 2, 29)
    warned = _assess(born=born, today=date(2029, 1, 10))
    assert warned.warnings == ("Turns 5 on 1 March 2029, within the 26 weeks the work is expected to take",)
    on_the_day = _assess(born=born, today=date(2029, 3, 1))
    assert on_the_day.ages_out_on == date(2029, 3, 1)
    assert not on_the_day.eligible
    assert _assess(born=born, today=date(2029, 2, 28)).eligible


def test_no_age_out_warning_once_the_child_is_already_5() -> None:
    result = _assess(born=clocks.add_years(TODAY, -5))
    assert result.warnings == ()
    assert not result.eligible


def test_no_age_out_warning_or_date_for_an_unborn_baby() -> None:
    result = _assess(due=date(2027, 3, 1))
    assert result.eligible
    assert result.warnings == ()
    assert result.ages_out_on is None


# -- The first 1001 days ----------------------------------------------------------------------------


def test_an_unborn_baby_is_in_the_first_1001_days() -> None:
    assert _assess(due=date(2027, 3, 1)).in_first_1001_days


def test_a_baby_under_2_is_in_the_first_1001_days() -> None:
    assert _assess(born=date(2024, 11, 27)).in_first_1001_days  # the day before the 2nd birthday


def test_a_child_of_2_is_past_the_first_1001_days() -> None:
    assert not _assess(born=date(2024, 11, 26)).in_first_1001_days
    assert not _assess(born=date(2023, 1, 1)).in_first_1001_days


def test_no_dates_means_no_1001_days_flag() -> None:
    result = _assess()
    assert not result.in_first_1001_days
    assert result.reasons[0] == "Enter the baby's date of birth or due date"


@given(st.dates(min_value=date(2020, 1, 1), max_value=TODAY))
def test_age_rule_and_age_out_date_agree(born: date) -> None:
    """Out of range exactly when the age-out date has come."""
    result = _assess(born=born)
    assert result.ages_out_on is not None
    assert result.eligible is (result.ages_out_on > TODAY)


@given(st.dates(min_value=TODAY - timedelta(days=365), max_value=TODAY + timedelta(days=400)))
def test_a_due_date_is_in_range_exactly_within_the_window(due: date) -> None:
    in_window = TODAY - timedelta(days=14) <= due <= clocks.add_months(TODAY, 10)
    assert (age_problem(RULES, born=None, due=due, today=TODAY) == "") is in_window
