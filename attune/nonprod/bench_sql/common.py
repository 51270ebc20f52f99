"""What every part of the bench's SQL shares: the scope's bounds as query parameters, and the
conversions a raw cursor needs (SQLite hands back UUIDs as hex, decimals as floats and computed
dates and datetimes as text; PostgreSQL hands back native values)."""

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils.dateparse import parse_date, parse_datetime

CENT = Decimal("0.01")


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def moment(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def key(value: uuid.UUID) -> Any:
    # SQLite keeps a UUID as 32 hex characters; PostgreSQL has a uuid type.
    return value if connection.features.has_native_uuid_field else value.hex


@dataclass(frozen=True)
class Bounds:
    """One scope and period, as a report reads it: Europe/London days, the end exclusive."""

    ids: list[Any]
    start: dt.date
    end: dt.date
    today: dt.date

    @classmethod
    def of(cls, team_ids: Iterable[uuid.UUID], start: dt.date, end: dt.date, today: dt.date) -> "Bounds":
        return cls([key(team_id) for team_id in sorted(team_ids, key=str)], start, end, today)

    @property
    def teams(self) -> str:
        """Placeholders for the team ids, to put inside IN (...)."""
        return ", ".join(["%s"] * len(self.ids))

    @property
    def as_at(self) -> dt.date:
        return min(self.end, self.today)

    @property
    def start_at(self) -> Any:
        return moment(_midnight(self.start))

    @property
    def end_at(self) -> Any:
        return moment(_midnight(self.end + dt.timedelta(days=1)))

    @property
    def as_at_end(self) -> Any:
        return moment(_midnight(self.as_at + dt.timedelta(days=1)))

    def outcome_episodes(self) -> tuple[str, list[Any]]:
        """The episodes whose scores the outcomes count, as SQL and its parameters: opened before
        the period's end and not discharged before it (no discharge before the period that is
        still the latest event at its end), so discharged in it or still open."""
        sql = f"""SELECT e.id FROM care_episode e
            WHERE e.team_id IN ({self.teams}) AND e.opened_at < %s
              AND NOT EXISTS (
                SELECT 1 FROM care_episodeevent last
                WHERE last.episode_id = e.id AND last.kind = 'discharged' AND last.at < %s
                  AND NOT EXISTS (
                    SELECT 1 FROM care_episodeevent later
                    WHERE later.episode_id = e.id AND later.at < %s
                      AND (later.at > last.at OR (later.at = last.at AND later.id > last.id))))"""  # noqa: S608
        return sql, [*self.ids, self.end_at, self.start_at, self.end_at]


def rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def aware(value: Any) -> dt.datetime:
    found = parse_datetime(value) if isinstance(value, str) else value
    assert isinstance(found, dt.datetime)
    return found if found.tzinfo is not None else found.replace(tzinfo=dt.UTC)


def local_day(value: Any) -> dt.date:
    return aware(value).astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return parse_date(str(value)[:10])


def date_of(value: Any) -> dt.date:
    """A date from a column that is never NULL."""
    found = as_date(value)
    assert found is not None
    return found


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT) if value is not None else Decimal("0.00")


def as_list(value: Any) -> list[Any]:
    found = json.loads(value) if isinstance(value, str) else value
    return found if isinstance(found, list) else []
