"""Finished reports for closed periods, kept and reused until a record inside them changes.

A report for a period that has ended is the same every time it is worked out, unless a record
dated inside it is added or changed later (a questionnaire entered late, a contact's attendance
corrected). Working out the ICB's year takes about a second at region scale, so the exact figures
(the `Report`, before suppression: each audience's view is made from it as before) are kept per
scope and period in `ReportSnapshot`, and before each reuse Attune looks for any record, in the
tables the report reads, that changed since the snapshot was last checked and could belong to it:
in one of the report's teams (where the table says whose team) and dated on or before the
period's last day (where the table has such a date). One indexed look-up per table; anything
found and the report is worked out again.

What the look-up cannot see, and what is done about it:
- A transaction that wrote a row earlier than it committed: every look-up reaches back `MARGIN`
  before the last check, longer than any transaction Attune runs.
- New code that works a figure out differently: the key holds a digest of the report code, so
  a release starts with fresh reports.
- Deprivation and postcode files, which have no update times: their load commands call `clear()`.
"""

import datetime as dt
import hashlib
import hmac
import pickle  # only our own signed snapshots are ever read back (see _load)
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Exists, Q
from django.utils import timezone

from attune.reports.models import ReportSnapshot
from attune.reports.tables import Report, ReportScope

# Longer than any transaction that writes records a report reads (an import of a whole caseload
# included): a row written at the start of a transaction still unseen at a check is found next time.
MARGIN = dt.timedelta(minutes=15)
# How stale the "last checked" time may grow before a reading moves it on: readings close together
# write nothing, and each check looks back at most this much more than it must.
RECHECKED_AFTER = dt.timedelta(minutes=1)
# At most this many changed rows of one table are looked at one by one; more, and the report is
# worked out again without looking further.
LOOKED_AT = 500


@dataclass(frozen=True)
class Source:
    """A table a report reads: whose team a row belongs to (a lookup path, or "" when the table
    is not about one team, so any change counts), when a row last changed, and the day that puts
    a row inside a period (or "" when any change counts whatever its date)."""

    model: str
    team: str = ""
    changed: tuple[str, ...] = ("updated_at",)
    day: str = ""


# Every table attune/reports/indicators and the costs it uses read (a test checks the list
# against their imports), but for those in `UNWATCHED`.
SOURCES: tuple[Source, ...] = (
    Source("referrals.Referral", team="team_id", day="received_at"),
    Source("referrals.EligibilityRules", team="team_id"),
    Source("care.Episode", team="team_id", day="opened_at"),
    Source("care.EpisodeWorker", team="episode__team_id"),
    Source("care.Appointment", team="episode__team_id", day="starts_at"),
    Source("care.Discharge", team="episode__team_id"),
    Source("care.PractitionerCapacity", team="team_id"),
    Source("care.Intervention"),
    Source("care.InterventionWeight"),
    Source("outcomes.Administration", team="episode__team_id", day="completed_on"),
    Source("families.Family", team="team_id"),
    Source("families.Carer", team="family__team_id"),
    Source("families.Infant", team="family__team_id"),
    Source("families.FamilyAlert", team="family__team_id"),
    Source("families.FamilyMerge", changed=("updated_at", "undone_at")),
    Source("organisations.Organisation"),
    Source("organisations.Team"),
    Source("organisations.Membership"),
    Source("supervision.SupervisionSession", day="held_on"),
    Source("supervision.SessionAttendee"),
    Source("supervision.SupervisionStandardSetting"),
    Source("workforce.NonCaseloadActivity", team="team_id", day="held_on"),
    Source("workforce.Post", team="team_id"),
    Source("commissioning.FundingAgreement"),
    Source("commissioning.PostCost"),
)


# Tables a report reads that are watched another way: each history row added (by
# referrals.services.append_status and care.services.append_event, the only writers) moves its
# referral's or episode's update time, which is watched; so does each interpreter action
# (care.interpreters) for its appointment; reference data has its own `clear()`.
UNWATCHED = {
    "referrals.ReferralStatus": "history: adding a row moves its referral's update time",
    "care.EpisodeEvent": "history: adding a row moves its episode's update time",
    "care.InterpreterBooking": "booking, confirming or cancelling moves its appointment's update time",
    "reports.DeprivationRank": "reference data: its load command clears kept reports",
    "reports.PostcodeLsoa": "reference data: its load command clears kept reports",
}


@dataclass(frozen=True)
class Kept:
    """A report and when its figures were worked out (None: just now, for a period still open)."""

    report: Report
    worked_out_at: dt.datetime | None


def report_for(scope: ReportScope, *, today: dt.date, build: Callable[[], Report]) -> Kept:
    """The report for `scope`: kept from before if its period has closed and nothing inside it has
    changed since, else worked out by `build` (and kept, if the period has closed)."""
    if scope.end >= today:
        return Kept(build(), None)
    key = _key(scope)
    started = timezone.now()
    snapshot = ReportSnapshot.objects.filter(key=key).first()
    if snapshot is not None:
        report = _load(snapshot)
        if report is not None and not _changed_since(snapshot, scope):
            if started - snapshot.checked_at > RECHECKED_AFTER:
                ReportSnapshot.objects.filter(pk=snapshot.pk).update(checked_at=started)
            return Kept(report, snapshot.built_at)
    report = build()
    _keep(key, scope, report, built_at=started)
    return Kept(report, started)


def clear() -> int:
    """Forget every kept report (after loading reference data the report reads)."""
    deleted, _ = ReportSnapshot.objects.all().delete()
    return deleted


def _changed_since(snapshot: ReportSnapshot, scope: ReportScope) -> bool:
    """Whether any watched table has a row changed since the snapshot was last checked (less the
    margin) that could be inside the report. First one query asks each table, by its index on
    update times alone, whether anything changed at all; then, for each table that says yes, its
    changed rows' teams and dates are read and compared here. (Asking the database for both at
    once let SQLite's planner walk every contact of the teams before the period's end instead.)"""
    since = snapshot.checked_at - MARGIN
    sql, params = _question(connection.vendor)
    # Every time in the compiled question is the placeholder: each becomes `since`.
    placeholder = connection.ops.adapt_datetimefield_value(_PLACEHOLDER)
    asked = [connection.ops.adapt_datetimefield_value(since) if p == placeholder else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, asked)
        answers = cursor.fetchone()
    if answers is None:
        return True  # the kept report was forgotten meanwhile (`clear`): work it out again
    return any(_inside(source, since, scope) for source, changed in zip(SOURCES, answers, strict=True) if changed)


# The time the question below is compiled with, far from any real one.
_PLACEHOLDER = dt.datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=dt.UTC)


@cache
def _question(vendor: str) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters asking each watched table whether a row changed since
    _PLACEHOLDER, compiled once per process (and database engine): building its 25 subqueries
    through the ORM took longer than the database took to answer them, on every reading."""
    asked = {f"changed_{n}": Exists(_changed(source, _PLACEHOLDER)) for n, source in enumerate(SOURCES)}
    query = ReportSnapshot.objects.order_by().annotate(**asked).values_list(*asked)[:1].query
    sql, params = query.sql_with_params()
    return sql, tuple(params)


def _changed(source: Source, since: dt.datetime) -> models.QuerySet[Any]:
    condition = Q()
    for name in source.changed:
        condition |= Q(**{f"{name}__gt": since})
    return apps.get_model(source.model)._default_manager.filter(condition).order_by()


def _inside(source: Source, since: dt.datetime, scope: ReportScope) -> bool:
    """Whether a row of `source` changed since `since` could be inside the report: in one of its
    teams (where the table says whose team) and dated before the period's end (where it has a
    date). More changed rows than LOOKED_AT (an import, say) count as inside without looking."""
    fields = [path for path in (source.team, source.day) if path]
    if not fields:
        return True
    rows = list(_changed(source, since).values_list(*fields)[: LOOKED_AT + 1])
    if len(rows) > LOOKED_AT:
        return True
    after = _after(apps.get_model(source.model), source.day, scope.end) if source.day else None
    for row in rows:
        found = dict(zip(fields, row, strict=True))
        if source.team and found[source.team] not in scope.team_ids:
            continue
        if after is not None and found[source.day] is not None and found[source.day] >= after:
            continue
        return True
    return False


def _after(model: type[models.Model], path: str, last_day: dt.date) -> dt.date | dt.datetime:
    """The first moment after `last_day`, in the type of the field at the end of `path`."""
    field = model._meta.get_field(path.split("__")[0])
    next_day = last_day + dt.timedelta(days=1)
    if isinstance(field, models.DateTimeField):
        return timezone.make_aware(dt.datetime.combine(next_day, dt.time.min))
    return next_day


def _key(scope: ReportScope) -> str:
    parts = [
        _code_digest(),
        scope.start.isoformat(),
        scope.end.isoformat(),
        ",".join(sorted(str(t) for t in scope.team_ids)),
        str(scope.site_id or ""),
        str(scope.local_authority_id or ""),
        str(scope.funder_id or ""),
        str(scope.agreement_id or ""),
        scope.label,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@cache
def _code_digest() -> str:
    """A digest of the code that works out a report: a release that changes it starts afresh."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted([here / "tables.py", *(here / "indicators").glob("*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _signature(payload: bytes) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), payload, hashlib.sha256).hexdigest()


def _load(snapshot: ReportSnapshot) -> Report | None:
    """The kept report, only if its signature is ours: bytes that anyone else wrote into the table
    are never unpickled."""
    payload = bytes(snapshot.payload)
    if not hmac.compare_digest(_signature(payload), snapshot.signature):
        return None
    report = pickle.loads(payload)  # noqa: S301  signed above with the installation's secret key
    return report if isinstance(report, Report) else None


def _keep(key: str, scope: ReportScope, report: Report, *, built_at: dt.datetime) -> None:
    payload = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    values = {
        "start": scope.start,
        "end": scope.end,
        "built_at": built_at,
        "checked_at": built_at,
        "payload": payload,
        "signature": _signature(payload),
    }
    try:
        with transaction.atomic():
            ReportSnapshot.objects.update_or_create(key=key, defaults=values)
    except IntegrityError:
        # Another request kept the same report a moment ago: theirs is as good as this one.
        pass
