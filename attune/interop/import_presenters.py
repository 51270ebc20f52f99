"""What the import pages show: a run's state, its report of problems (counted, then a page of
rows at a time), what it would make or made, and the full report as CSV. No database."""

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from attune.core.formatting import plural
from attune.core.rows import TableRow
from attune.interop import import_sheets
from attune.interop.import_models import ImportRun, ImportState
from attune.interop.import_progress import Progress

PROBLEMS_PER_PAGE = 100
# A check or an import the worker has not begun after this long: the worker is probably stopped,
# and only the trust's system administrator can start it again.
NOT_STARTED_AFTER = dt.timedelta(minutes=10)
NOT_STARTED = "Not started after 10 minutes: the worker that runs it may be stopped. Tell your system administrator"

STATE_TAGS = {
    ImportState.CHECKING: ("Checking", "nhsuk-tag--yellow"),
    ImportState.REFUSED: ("Could not be read", "nhsuk-tag--red"),
    ImportState.HAS_PROBLEMS: ("Has problems to mend", "nhsuk-tag--red"),
    ImportState.READY: ("Ready to import", "nhsuk-tag--blue"),
    ImportState.QUEUED: ("Waiting to start", "nhsuk-tag--grey"),
    ImportState.RUNNING: ("Importing", "nhsuk-tag--yellow"),
    ImportState.IMPORTED: ("Imported", "nhsuk-tag--green"),
    ImportState.FAILED: ("Failed: nothing was imported", "nhsuk-tag--red"),
}

KIND_WORDS = {
    import_sheets.FAMILIES: ("family", "families"),
    import_sheets.REFERRALS: ("referral", "referrals"),
    import_sheets.EPISODES: ("episode of care", "episodes of care"),
    import_sheets.APPOINTMENTS: ("appointment", "appointments"),
    import_sheets.MEASURES: ("measure", "measures"),
}

CSV_HEADINGS = ["Sheet", "Row", "Column", "What is wrong", "How to mend it"]


def state_tag(run: ImportRun) -> dict[str, str]:
    text, classes = STATE_TAGS[ImportState(run.state)]
    return {"text": text, "classes": classes}


def summary_rows(run: ImportRun) -> list[TableRow]:
    """Each kind of mending with how many rows need it, most first, and an example."""
    return [
        [
            {"text": entry["sheet"] or "The file"},
            {"text": entry["column"] or "-"},
            {"text": entry["fix"]},
            {"text": entry["example"]},
            {"text": str(entry["count"]), "format": "numeric"},
        ]
        for entry in run.problem_summary
    ]


def problem_rows(problems: Sequence[dict[str, Any]]) -> list[TableRow]:
    return [
        [
            {"text": p["sheet"] or "The file"},
            {"text": str(p["row"]) if p["row"] else "-", "format": "numeric"},
            {"text": p["column"] or "-"},
            {"text": p["problem"]},
            {"text": p["fix"]},
        ]
        for p in problems
    ]


def count_rows(run: ImportRun, *, finished: bool) -> list[TableRow]:
    """What the import makes (or made) per kind, and what was in Attune already."""
    rows = []
    for kind in import_sheets.KINDS:
        counts = run.counts.get(kind)
        if counts is None:
            continue
        many = KIND_WORDS[kind][1]
        already = counts.get("already", 0)
        changed = counts.get("changed", 0)
        note = f"{already} imported before: skipped" if already else "None"
        if changed:
            note += f" ({changed} changed in the file since: change them in Attune)"
        rows.append(
            [
                {"text": many.capitalize()},
                {"text": str(counts.get("new", 0)), "format": "numeric"},
                {"text": note},
            ]
        )
    return rows


def counts_heading(*, finished: bool) -> list[dict[str, str]]:
    return [
        {"text": "Kind"},
        {"text": "Imported" if finished else "To import", "format": "numeric"},
        {"text": "Already in Attune"},
    ]


def problems_heading(run: ImportRun) -> str:
    return f"{plural(run.problem_count, 'problem', 'problems')} in {plural(run.rows_total, 'row', 'rows')}"


def problems_csv(run: ImportRun) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADINGS)
    for p in run.problems:
        # A cell starting with = + - or @ would be a formula when the report is opened in Excel.
        writer.writerow([_safe(p["sheet"]), p["row"] or "", _safe(p["column"]), _safe(p["problem"]), _safe(p["fix"])])
    return out.getvalue()


def _safe(text: str) -> str:
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@dataclass(frozen=True)
class ProgressBar:
    """The progress element's values and its words."""

    done: int
    total: int
    stage: str

    @property
    def words(self) -> str:
        if self.total == 0:
            return "Starting"
        return f"{self.done} of {self.total} rows imported"


def _waiting(run: ImportRun, now: dt.datetime) -> str:
    """Waiting for the worker; after NOT_STARTED_AFTER, most likely it is not running."""
    return NOT_STARTED if now - run.updated_at > NOT_STARTED_AFTER else "Waiting for the worker to start"


def progress_bar(run: ImportRun, progress: Progress | None, now: dt.datetime) -> ProgressBar:
    total = sum(int(c.get("new", 0)) for c in run.counts.values())
    if progress is None:
        return ProgressBar(0, total, _waiting(run, now) if run.state == ImportState.QUEUED else "Starting")
    return ProgressBar(progress.done, progress.total or total, progress.stage)


def checking_stage(run: ImportRun, progress: Progress | None, now: dt.datetime) -> str:
    """What the dry run is doing, in words, while it runs."""
    return progress.stage if progress is not None else _waiting(run, now)
