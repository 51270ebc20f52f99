"""What the service's intervention weights page shows: each intervention's weight now and since
when, the changes made (past, in force and to come), and where the page goes back to. No
database: the view hands in what it fetched."""

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.urls import reverse
from django.utils.html import format_html_join

from attune.care.forms.settings import EFFECTIVE_FROM, field_name
from attune.care.models import Intervention, InterventionWeight
from attune.care.presenters.waiting import BR, number
from attune.core.formatting import date_long
from attune.core.rows import TableRow
from attune.organisations.models import Service, Team


def applies(day: dt.date, today: dt.date) -> str:
    return "today" if day == today else f"from {date_long(day)}"


def weights_changed_message(day: dt.date, today: dt.date) -> str:
    return f"The intervention weights are changed. The change applies {applies(day, today)}."


@dataclass(frozen=True)
class WeightsPage:
    service: Service
    hub: Team | None  # whose team settings the page goes back to
    interventions: list[Intervention]  # offered, by name, each with `weight` today
    history: list[InterventionWeight]  # newest first, with their interventions
    today: dt.date

    @property
    def back_url(self) -> str:
        if self.hub is None:
            return reverse("setup:service", args=[self.service.pk])
        return reverse("referrals:team_settings", args=[self.hub.pk])

    @property
    def back_text(self) -> str:
        return "Back to team settings" if self.hub is not None else "Back to the service"

    def _since(self) -> dict[Any, dt.date]:
        """When each intervention's weight today was set (none: its starting weight)."""
        found: dict[Any, dt.date] = {}
        for row in self.history:  # newest first: the first row by today is the one in force
            if row.effective_from <= self.today:
                found.setdefault(row.intervention_id, row.effective_from)
        return found

    def now_rows(self) -> list[TableRow]:
        since = self._since()
        return [
            [
                {"text": intervention.name},
                {"text": number(intervention.weight), "format": "numeric"},  # type: ignore[attr-defined]
                {
                    "text": f"Since {date_long(since[intervention.pk])}"
                    if intervention.pk in since
                    else "Starting weight"
                },
            ]
            for intervention in self.interventions
        ]

    def history_rows(self) -> list[TableRow]:
        """Each day a change applies from, newest first, with the weights set that day."""
        rows: list[TableRow] = []
        for day, changes in groupby(self.history, key=lambda row: row.effective_from):
            state = "Future" if day > self.today else "Applied"
            rows.append(
                [
                    {"text": date_long(day)},
                    {"text": state},
                    {
                        "html": format_html_join(
                            BR, "{}: {}", ((c.intervention.name, number(c.weight)) for c in changes)
                        )
                    },
                ]
            )
        return rows

    def initial(self) -> dict[str, Any]:
        """The form starts from today's weights, applying from today."""
        return {
            **{field_name(i): number(i.weight) for i in self.interventions},  # type: ignore[attr-defined]
            EFFECTIVE_FROM: self.today,
        }
