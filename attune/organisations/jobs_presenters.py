"""The system administrator's jobs page (/system/jobs): each registered job's schedule and last
run, in words. Pure: given the registry and the schedule rows."""

from dataclasses import dataclass
from datetime import datetime

from attune.core import jobs
from attune.core.formatting import datetime_short
from attune.core.models import ScheduledJob


@dataclass(frozen=True)
class JobRow:
    name: str
    description: str
    every: str
    last_run: str
    duration: str
    outcome: str
    outcome_tag: str
    failures: str
    last_error: str
    next_run: str


def _when(moment: datetime | None) -> str:
    return datetime_short(moment) if moment is not None else "Not yet"


def _duration(ms: int | None) -> str:
    if ms is None:
        return ""
    if ms < 1000:
        return "under a second"
    seconds = ms // 1000
    if seconds < 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    return f"{seconds // 60} min {seconds % 60} s"


def job_rows(registered: list[jobs.Job], rows: dict[str, ScheduledJob]) -> list[JobRow]:
    result = []
    for job in registered:
        row = rows.get(job.name)
        succeeded = row.last_succeeded if row is not None else None
        if row is not None and row.claimed_at is not None:
            outcome, tag = "Running", "nhsuk-tag--blue"
        elif succeeded is None:
            outcome, tag = "Not run yet", "nhsuk-tag--grey"
        elif succeeded:
            outcome, tag = "Succeeded", "nhsuk-tag--green"
        else:
            outcome, tag = "Failed", "nhsuk-tag--red"
        in_a_row = row.failures_in_a_row if row is not None else 0
        total = row.failures_total if row is not None else 0
        failures = "None" if total == 0 else f"{total} in all"
        if in_a_row:
            failures += f", {in_a_row} in a row (retrying with backoff)"
        result.append(
            JobRow(
                name=job.name,
                description=job.description,
                every=jobs.describe_every(job.every),
                last_run=_when(row.last_started_at if row is not None else None),
                duration=_duration(row.last_duration_ms if row is not None else None),
                outcome=outcome,
                outcome_tag=tag,
                failures=failures,
                last_error=(f"{row.last_error} ({_when(row.last_failed_at)})" if row and row.last_error else ""),
                next_run=_when(row.next_run_at) if row is not None else "When the worker next starts",
            )
        )
    return result


def heartbeat_text(latest: datetime | None, status: str) -> str:
    if latest is None:
        return "The worker has never run. Start it with manage.py worker (make run starts it for the demo)."
    if status == "stale":
        return f"The worker last checked in at {datetime_short(latest)}: it has stopped or is stuck. Restart it."
    return f"The worker is running: it last checked in at {datetime_short(latest)}."
