"""What every indicator module shares: the report's time window and scope filters, medians and
percentiles. Each section reads the database through a fixed
number of aggregate or values_list queries (never per row), so a report costs the same number
of queries for one family or twenty thousand."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from attune.organisations.models import Team
from attune.reports.tables import ReportScope


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


@dataclass
class Context:
    """One report being built: the scope, its bounds as aware datetimes (converted once), and
    the counts later sections (costs) reuse."""

    scope: ReportScope
    today: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    _team_names: dict[Any, str] | None = None

    @property
    def start_at(self) -> dt.datetime:
        """The first moment of the period's first day, Europe/London."""
        return _local_midnight(self.scope.start)

    @property
    def end_at(self) -> dt.datetime:
        """The first moment after the period's last day (exclusive bound)."""
        return _local_midnight(self.scope.end + dt.timedelta(days=1))

    @property
    def as_at(self) -> dt.date:
        """The day "as at" measures are taken: the period's last day, or today if that is sooner."""
        return min(self.scope.end, self.today)

    @property
    def as_at_end(self) -> dt.datetime:
        return _local_midnight(self.as_at + dt.timedelta(days=1))

    @property
    def team_ids(self) -> list[Any]:
        return sorted(self.scope.team_ids, key=str)

    def in_period(self, moment: dt.datetime) -> bool:
        return self.start_at <= moment < self.end_at

    def families(self, path: str = "family") -> Q:
        """The site and local-authority narrowing, on the family reached through `path`."""
        condition = Q()
        if self.scope.site_id is not None:
            condition &= Q(**{f"{path}__preferred_site_id": self.scope.site_id})
        if self.scope.local_authority_id is not None:
            condition &= Q(**{f"{path}__local_authority_id": self.scope.local_authority_id})
        return condition

    @property
    def narrowed(self) -> bool:
        return self.scope.site_id is not None or self.scope.local_authority_id is not None

    def team_names(self) -> dict[Any, str]:
        """Team id -> name, in name order; one query, once per report."""
        if self._team_names is None:
            self._team_names = dict(
                Team.objects.filter(pk__in=self.team_ids).order_by("name", "pk").values_list("pk", "name")
            )
        return self._team_names


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(_zone()).date()


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)  # ZoneInfo caches instances by key
