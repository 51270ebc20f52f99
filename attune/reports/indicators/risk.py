"""Risk alerts (an EPDS item 10 answered above 0, an ADBB total of 5 or more, ...) raised on
families in scope during the period, and how quickly someone recorded the action taken."""

from django.db.models import Q

from attune.core.formatting import date_long
from attune.families.models import FamilyAlert
from attune.reports.indicators.common import Context
from attune.reports.stats import median, percentile
from attune.reports.tables import Column, Kind, Note, Row, Section, Table

DAY_SECONDS = 24 * 3600


def section(context: Context) -> tuple[Section, list[Note]]:
    raised = FamilyAlert.objects.filter(
        Q(family__team_id__in=context.team_ids, created_at__gte=context.start_at, created_at__lt=context.end_at)
        & context.families()
    ).values_list("created_at", "closed_at")
    days: list[float] = []
    count = still_open = 0
    for created_at, closed_at in raised:
        count += 1
        if closed_at is not None and closed_at < context.as_at_end:
            days.append(round((closed_at - created_at).total_seconds() / DAY_SECONDS, 1))
        else:
            still_open += 1
    table = Table(
        key="risk_alerts",
        title="Risk alerts",
        columns=(
            Column("raised", "Raised", additive=False),
            Column("actioned", "Action recorded", additive=False),
            Column("open", "Still open", additive=False),
            Column("median", "Median time to action", Kind.MEDIAN, unit="days"),
            Column("p90", "90th percentile time to action", Kind.MEDIAN, unit="days"),
        ),
        rows=(
            Row(
                "Alerts raised in the period",
                {
                    "raised": count,
                    "actioned": len(days),
                    "open": still_open,
                    "median": median(days),
                    "p90": percentile(days, 90),
                },
                samples={"median": len(days), "p90": len(days)},
            ),
        ),
        description=(
            "Risk alerts raised in the period on families of the teams in scope; whether someone had recorded "
            f"the action taken by the end of {date_long(context.as_at)}, and how long after the alert, in days "
            "(to one decimal place)."
        ),
    )
    return Section("risk", "Risk alerts", (table,)), []
