"""Referrals received, what happened to them, and how long families waited.

A referral counts in the period when it was received in it (Europe/London dates). A wait counts
in the period its end event falls in: a triage decision made, a first or second attended contact.
Working days follow attune/core/clocks.working_days_between (weekdays less England's bank holidays,
counted after the start day up to and including the end day). The wait for a triage decision is the
triage page's clock (attune/referrals/clock.py): paused while the team waits for more information
from the referrer, so the report and the inbox give one figure for one referral.
"""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from attune.care.codes import ATTENDED
from attune.care.models import Appointment, Episode
from attune.core import clocks
from attune.core.formatting import date_long
from attune.referrals.codes import ReferralSource
from attune.referrals.models import Referral, ReferralStatus
from attune.referrals.workflow import PAUSED, Status
from attune.reports.indicators import waits_sql
from attune.reports.indicators.common import Context, local_date
from attune.reports.stats import median, percentile
from attune.reports.tables import Column, Kind, Note, Row, Section, Table

DECISIONS = [Status.ACCEPTED.value, Status.SIGNPOSTED.value, Status.DECLINED.value]
OUTCOMES: list[tuple[str, str, set[str | None]]] = [
    ("accepted", "Accepted to the waiting list", {Status.ACCEPTED.value}),
    ("signposted", "Signposted to another service", {Status.SIGNPOSTED.value}),
    ("declined", "Declined", {Status.DECLINED.value}),
    ("withdrawn", "Withdrawn", {Status.WITHDRAWN.value}),
    ("triage", "Still being triaged", {Status.RECEIVED.value, Status.AWAITING_INFORMATION.value, None}),
]
REFERRALS = Column("referrals", "Referrals")


def received(context: Context) -> QuerySet[Referral]:
    """Referrals received in the period by the teams in scope (and the site or council area)."""
    return Referral.objects.filter(
        Q(team_id__in=context.team_ids, received_at__gte=context.start_at, received_at__lt=context.end_at)
        & context.families()
    )


def status_as_at(context: Context) -> Subquery:
    """The referral's latest status entered before the end of the "as at" day."""
    return Subquery(
        ReferralStatus.objects.filter(referral=OuterRef("pk"), entered_at__lt=context.as_at_end)
        .order_by("-entered_at", "-id")
        .values("status")[:1]
    )


def section(context: Context) -> tuple[Section, list[Note]]:
    tables = (_by_source(context), _what_happened(context), _waiting_times(context))
    return Section("referrals", "Referrals", tables), []


def _by_source(context: Context) -> Table:
    counts = dict(received(context).order_by().values_list("source").annotate(n=Count("id")))
    rows = tuple(
        Row(source.label, {"referrals": counts[source.value]}) for source in ReferralSource if source in counts
    )
    unknown = sum(n for code, n in counts.items() if code not in ReferralSource.values)
    if unknown:
        rows += (Row("Other or not recorded", {"referrals": unknown}),)
    total = sum(counts.values())
    context.counts["referrals"] = total
    return Table(
        key="referrals_by_source",
        title="Referrals received by source",
        columns=(REFERRALS,),
        rows=rows,
        total=Row("Total", {"referrals": total}),
        description="Referrals received in the period, by who referred (source of referral for mental health).",
        chart="bar",
        chart_column="referrals",
    )


def _what_happened(context: Context) -> Table:
    counts: dict[str | None, int] = dict(
        received(context)
        .order_by()
        .annotate(now=status_as_at(context))
        .values_list("now")
        .annotate(n=Count("id"))
        .values_list("now", "n")
    )
    rows = tuple(
        Row(label, {"referrals": sum(counts.get(code, 0) for code in codes)}) for _key, label, codes in OUTCOMES
    )
    return Table(
        key="referral_outcomes",
        title="What happened to referrals received",
        columns=(REFERRALS,),
        rows=rows,
        total=Row("Total", {"referrals": sum(counts.values())}),
        description=(
            "Referrals received in the period, by their status at the end of the period "
            f"(or on {date_long(context.as_at)} if the period has not ended)."
        ),
        chart="bar",
        chart_column="referrals",
    )


WAITS = ("Referral to triage decision", "Referral to first attended contact", "Referral to second attended contact")
# One row of the "Waiting times" table: how many waits, their median and 90th percentile.
Waits = tuple[int, float | None, float | None]


def _waiting_times(context: Context) -> Table:
    figures = waits_in_sql(context) if connection.vendor == "postgresql" else waits_in_python(context)
    rows = tuple(
        Row(label, {"families": n, "median": mid, "p90": p90}, samples={"median": n, "p90": n})
        for label, (n, mid, p90) in zip(WAITS, figures, strict=True)
    )
    return Table(
        key="waiting_times",
        title="Waiting times",
        columns=(
            Column("families", "Number of families", additive=False),
            Column("median", "Median wait", Kind.MEDIAN, unit="working days"),
            Column("p90", "90th percentile wait", Kind.MEDIAN, unit="working days"),
        ),
        rows=rows,
        description=(
            "Working days (weekdays other than bank holidays in England) from the day a referral was received "
            "to the triage decision (accepted, signposted or declined) and to the family's first and second "
            "attended contacts. A wait counts in the period its end event falls in, whenever the referral "
            "was received. The wait for a triage decision is paused while the team waits for more information "
            "from the referrer, as the triage clock is; the waits for contacts are not paused."
        ),
    )


def _decisions(context: Context) -> QuerySet[ReferralStatus]:
    """Triage decisions made in the period on referrals to the teams in scope."""
    return ReferralStatus.objects.filter(
        Q(
            status__in=DECISIONS,
            entered_at__gte=context.start_at,
            entered_at__lt=context.end_at,
            referral__team_id__in=context.team_ids,
        )
        & context.families("referral__family")
    ).order_by()


def waits_in_python(context: Context) -> list[Waits]:
    """The three waits worked out here from every pair of dates (SQLite has no percentile)."""
    decisions = _decisions(context)
    decided = list(decisions.values_list("referral_id", "referral__received_at", "entered_at"))
    # Every status of those referrals, oldest first (one query), for the pauses before each decision.
    histories: dict[object, list[tuple[dt.datetime, str]]] = defaultdict(list)
    for referral_id, entered_at, status in (
        ReferralStatus.objects.filter(referral_id__in=decisions.values("referral_id"))
        .order_by("referral_id", "entered_at", "id")
        .values_list("referral_id", "entered_at", "status")
    ):
        histories[referral_id].append((entered_at, status))
    triage = [
        (local_date(received_at), local_date(entered_at), _pauses(histories[referral_id], entered_at))
        for referral_id, received_at, entered_at in decided
    ]
    first, second = _contact_waits(context)
    return [
        _figures([clocks.working_days_excluding(start, end, pauses) for start, end, pauses in triage]),
        *(_figures([clocks.working_days_between(start, end) for start, end in pairs]) for pairs in (first, second)),
    ]


def waits_in_sql(context: Context) -> list[Waits]:
    """The same figures worked out in PostgreSQL (attune/reports/indicators/waits_sql.py)."""
    found = waits_sql.waits(context, _decisions(context), _contact_episodes(context))
    return [found.get(kind, (0, None, None)) for kind in range(len(WAITS))]


def _pauses(history: list[tuple[dt.datetime, str]], decided_at: dt.datetime) -> list[tuple[dt.date, dt.date]]:
    """The days spent waiting for information before the decision, as attune.referrals.clock
    .pauses reads a referral's history: a pause runs from the day a paused status was entered to
    the day the next unpaused one was (or to the decision)."""
    found: list[tuple[dt.date, dt.date]] = []
    started: dt.date | None = None
    for entered_at, status in history:
        if entered_at > decided_at:
            break
        day = local_date(entered_at)
        if status in PAUSED and started is None:
            started = day
        elif status not in PAUSED and started is not None:
            found.append((started, day))
            started = None
    if started is not None:
        found.append((started, local_date(decided_at)))
    return found


def _contact_episodes(context: Context) -> QuerySet[Any, tuple[dt.datetime, dt.datetime | None, dt.datetime | None]]:
    """Episodes with an attended contact in the period, as (received, first attended contact,
    second attended contact): one row each."""
    attended = Appointment.objects.filter(episode=OuterRef("pk"), attendance__in=[a.value for a in ATTENDED]).order_by(
        "starts_at", "id"
    )
    seen_in_period = Appointment.objects.filter(
        episode__team_id__in=context.team_ids,
        attendance__in=[a.value for a in ATTENDED],
        starts_at__gte=context.start_at,
        starts_at__lt=context.end_at,
    ).values("episode_id")
    return (
        Episode.objects.filter(Q(pk__in=seen_in_period) & context.families())
        .order_by()
        .annotate(
            first=Subquery(attended.values("starts_at")[:1]),
            second=Subquery(attended.values("starts_at")[1:2]),
        )
        .values_list("referral__received_at", "first", "second")
    )


def _contact_waits(context: Context) -> tuple[list[tuple], list[tuple]]:
    """(received, first attended contact) and (received, second attended contact) pairs whose
    contact falls in the period: one query over episodes with an attended contact in the period."""
    first: list[tuple] = []
    second: list[tuple] = []
    for received_at, first_at, second_at in _contact_episodes(context):
        start = local_date(received_at)
        if first_at is not None and context.in_period(first_at):
            first.append((start, local_date(first_at)))
        if second_at is not None and context.in_period(second_at):
            second.append((start, local_date(second_at)))
    return first, second


def _figures(waits: list[int]) -> Waits:
    return len(waits), median(waits), percentile(waits, 90)
