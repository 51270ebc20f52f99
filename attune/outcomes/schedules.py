"""The team's schedule of measures: the actions that change it, each in one transaction with its
audit event. The rules hold whoever calls them (the schedule page, a management command)."""

from dataclasses import dataclass

from django.db import transaction

from attune.core import audit
from attune.core.actors import Actor
from attune.organisations.models import Team
from attune.outcomes import instruments
from attune.outcomes.instruments import Instrument
from attune.outcomes.models import MeasureSchedule, TimePoint

MAX_WEEKS = 104
MAX_MONTHS = 60


class ScheduleError(Exception):
    """A schedule the rules refuse; the message is fit to show, `field` names the form field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ScheduleEntry:
    instrument: str
    time_point: str
    weeks_after_start: int | None
    infant_min_months: int | None = None
    infant_max_months: int | None = None


def is_infant_measure(instrument: Instrument) -> bool:
    """A measure where a baby's age matters: about the baby or the relationship, or fitted to an
    age (the KPCS, for parents of babies up to 12 months)."""
    return instrument.about in ("infant", "relationship") or instrument.infant_age_months is not None


def check_entry(entry: ScheduleEntry) -> Instrument:
    """The instrument, when the entry is one a team may schedule; ScheduleError otherwise."""
    try:
        instrument = instruments.get(entry.instrument)
    except KeyError:
        raise ScheduleError("Select a measure from the list", field="instrument") from None
    if entry.time_point not in TimePoint.values or entry.time_point == TimePoint.OTHER:
        raise ScheduleError("Select the time point", field="time_point")
    if entry.time_point == TimePoint.DISCHARGE:
        if entry.weeks_after_start is not None:
            raise ScheduleError(
                "Leave weeks after the start blank for a discharge measure: it is due when the family is discharged",
                field="weeks_after_start",
            )
    elif entry.weeks_after_start is None:
        raise ScheduleError(
            "Enter how many weeks after the episode starts the measure is due", field="weeks_after_start"
        )
    elif not 0 <= entry.weeks_after_start <= MAX_WEEKS:
        raise ScheduleError(f"Weeks after the start must be between 0 and {MAX_WEEKS}", field="weeks_after_start")
    ages = (entry.infant_min_months, entry.infant_max_months)
    if any(age is not None for age in ages) and not is_infant_measure(instrument):
        raise ScheduleError(
            f"Leave the baby's age blank: the {instrument.name} is not about a baby", field="infant_min_months"
        )
    for name, age in zip(("infant_min_months", "infant_max_months"), ages, strict=True):
        if age is not None and not 0 <= age <= MAX_MONTHS:
            raise ScheduleError(f"The baby's age must be between 0 and {MAX_MONTHS} months", field=name)
    if None not in ages and ages[0] > ages[1]:  # type: ignore[operator]
        raise ScheduleError(
            "The youngest age must be the same as or lower than the oldest age", field="infant_min_months"
        )
    return instrument


def _detail(schedule: MeasureSchedule) -> dict[str, object]:
    return {
        "team": str(schedule.team_id),
        "instrument": schedule.instrument,
        "time_point": schedule.time_point,
        "weeks_after_start": schedule.weeks_after_start,
        "infant_min_months": schedule.infant_min_months,
        "infant_max_months": schedule.infant_max_months,
    }


@transaction.atomic
def set_schedule(
    *, actor: Actor | None, team: Team, entry: ScheduleEntry, schedule: MeasureSchedule | None = None
) -> MeasureSchedule:
    """Add a measure to the team's schedule, or change one (`schedule`). A measure is scheduled
    once per time point; adding one that was removed brings its row back."""
    instrument = check_entry(entry)
    if schedule is not None and schedule.team_id != team.pk:
        raise ScheduleError("This measure is not on the team's schedule")
    others = MeasureSchedule.objects.select_for_update().filter(
        team=team, instrument=entry.instrument, time_point=entry.time_point
    )
    clash = (others.exclude(pk=schedule.pk) if schedule is not None else others).first()
    if clash is not None and clash.active:
        raise ScheduleError(
            f"The {instrument.name} is already scheduled at {TimePoint(entry.time_point).label.lower()}. "
            "Change that row instead.",
            field="time_point",
        )
    if schedule is None:
        # A row removed earlier comes back rather than clashing with the unique constraint.
        schedule = clash or MeasureSchedule(team=team)
    elif clash is not None:
        clash.delete()  # an inactive row in the way of the change: nothing refers to it
    before = None if schedule._state.adding or not schedule.active else _detail(schedule)
    schedule.instrument = entry.instrument
    schedule.time_point = entry.time_point
    schedule.weeks_after_start = entry.weeks_after_start
    schedule.infant_min_months = entry.infant_min_months
    schedule.infant_max_months = entry.infant_max_months
    schedule.active = True
    schedule.save()
    audit.record(
        action="outcomes.schedule_changed" if before else "outcomes.schedule_added",
        actor=actor,
        obj=schedule,
        detail={**_detail(schedule), **({"before": before} if before else {})},
    )
    return schedule


@transaction.atomic
def remove_schedule(*, actor: Actor | None, schedule: MeasureSchedule) -> MeasureSchedule:
    """Take a measure off the team's schedule. The row stays, inactive, so the audit trail and
    any later re-adding refer to the same thing."""
    if not schedule.active:
        raise ScheduleError("This measure is already off the team's schedule")
    schedule.active = False
    schedule.save(update_fields=["active", "updated_at"])
    audit.record(action="outcomes.schedule_removed", actor=actor, obj=schedule, detail=_detail(schedule))
    return schedule
