"""Who a team can see: the age range and the area it covers. Plain Python.

Blackpool and Blackburn with Darwen take pregnancy to the 5th birthday (domain D: age ranges
vary, so they are per-team settings). The system says plainly why a referral is out of
criteria, flags the first 1001 days, and warns when the child will age out during the work.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from attune.core import clocks
from attune.core.formatting import date_long

DUE_DATE_MONTHS_AHEAD = 10


@dataclass(frozen=True)
class Rules:
    max_age_years: int = 5
    accepts_unborn: bool = True
    expected_episode_weeks: int = 26
    # The week of pregnancy from which the team takes a referral (None: any time in pregnancy).
    antenatal_from_week: int | None = None
    # The council areas the team covers: id -> name.
    areas: dict[str, str] = field(default_factory=dict)


def rules_from(stored: Any, team: Any) -> Rules:
    """A team's rules from its stored EligibilityRules (with their areas), or, where it has set
    none, the defaults for the team's own council area."""
    if stored is None:
        area = team.local_authority
        return Rules(areas={str(area.pk): area.name} if area is not None else {})
    return Rules(
        max_age_years=stored.max_age_years,
        accepts_unborn=stored.accepts_unborn,
        expected_episode_weeks=stored.expected_episode_weeks,
        antenatal_from_week=stored.antenatal_from_week,
        areas={str(area.pk): area.name for area in stored.areas.all()},
    )


@dataclass(frozen=True)
class Assessment:
    reasons: tuple[str, ...]  # why the referral is out of criteria; empty when eligible
    warnings: tuple[str, ...]
    in_first_1001_days: bool
    ages_out_on: date | None

    @property
    def eligible(self) -> bool:
        return not self.reasons


def age_problem(rules: Rules, *, born: date | None, due: date | None, today: date) -> str:
    """Why the child's age or due date is outside the team's range, or ''."""
    if born is not None:
        if born > today:
            return "Date of birth must be today or in the past"
        if clocks.age_in_years(born, today) >= rules.max_age_years:
            return (
                f"The child is {clocks.age_in_years(born, today)}. This team works with children "
                f"up to their {_ordinal(rules.max_age_years)} birthday"
            )
        return ""
    if due is None:
        return "Enter the baby's date of birth or due date"
    if not rules.accepts_unborn:
        return "This team takes referrals only after the baby is born"
    if due > clocks.add_months(today, DUE_DATE_MONTHS_AHEAD):
        return f"The due date must be within {DUE_DATE_MONTHS_AHEAD} months of today"
    if due < today - timedelta(days=clocks.POSTDUE_DAYS):
        return "The due date has passed. If the baby has been born, give their date of birth"
    if rules.antenatal_from_week is not None and week_of_pregnancy(due, today) < rules.antenatal_from_week:
        opens = due - timedelta(days=PREGNANCY_DAYS - 7 * (rules.antenatal_from_week - 1))
        return (
            f"This team takes referrals from week {rules.antenatal_from_week} of pregnancy. "
            f"For this due date, that is from {date_long(opens)}"
        )
    return ""


PREGNANCY_DAYS = 280  # 40 weeks from the first day of the last period to the due date


def week_of_pregnancy(due: date, today: date) -> int:
    """The week of pregnancy the day falls in (week 1 starts 40 weeks before the due date)."""
    return (PREGNANCY_DAYS - (due - today).days) // 7 + 1


def area_problem(rules: Rules, *, area_id: str | None, area_name: str = "") -> str:
    if area_id is None:
        return "We could not find which council area this postcode is in"
    if rules.areas and area_id not in rules.areas:
        covered = " and ".join(sorted(rules.areas.values()))
        return f"This address is in {area_name or 'another area'}. This team covers {covered}"
    return ""


def assess(
    rules: Rules, *, born: date | None, due: date | None, area_id: str | None, area_name: str = "", today: date
) -> Assessment:
    problems = (
        age_problem(rules, born=born, due=due, today=today),
        area_problem(rules, area_id=area_id, area_name=area_name),
    )
    reasons = [problem for problem in problems if problem]
    warnings: list[str] = []
    ages_out = None
    if born is not None and born <= today:
        ages_out = clocks.add_years(born, rules.max_age_years)
        episode_end = today + timedelta(weeks=rules.expected_episode_weeks)
        if today < ages_out <= episode_end:
            warnings.append(
                f"Turns {rules.max_age_years} on {date_long(ages_out)}, within the "
                f"{rules.expected_episode_weeks} weeks the work is expected to take"
            )
    first_days = born is not None or due is not None
    in_first = first_days and clocks.first_1001_days(born=born, due=due).includes(today)
    return Assessment(tuple(reasons), tuple(warnings), in_first, ages_out)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
