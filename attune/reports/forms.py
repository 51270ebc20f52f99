"""The period chooser on every report page: a financial quarter or year from a list, or any two
dates. It is a GET form, so a report's address says which period it shows and can be shared.

Links carry the period as one key (`?period=2025-26-Q3`, `?period=2025-10-01..2025-12-31`,
attune/core/periods.py); the form shows a key of dates in the date boxes, so what the address
says and what the form says are the same thing.
"""

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.safestring import SafeString

from attune.core import periods
from attune.core.periods import BadPeriod, Period
from attune.nhsuk_forms import fields

DATES = "dates"
QUARTERS_OFFERED = 8
YEARS_OFFERED = 3
# A report over decades would be slow and is never what a funder asks for; five years covers
# any agreement we have seen.
LONGEST_DAYS = 5 * 366
# Choosers drawn and kept per process (see PeriodForm.drawn): a day's links name a dozen periods.
DRAWN_KEPT = 64


def period_choices(today: date) -> list[Period]:
    """The last 8 complete financial quarters and the last 3 complete financial years, newest first."""
    quarters = [periods.last_complete_quarter(today)]
    while len(quarters) < QUARTERS_OFFERED:
        quarters.append(periods.quarter_of(quarters[-1].start - timedelta(days=1)))
    this_year = periods.financial_year_of(today)
    years = [periods.financial_year(this_year - n) for n in range(1, YEARS_OFFERED + 1)]
    return quarters + years


def default_period(today: date) -> Period:
    """What a report shows before anyone chooses: the quarter a funder is asking about."""
    return periods.last_complete_quarter(today)


class PeriodSelect(fields.SelectField):
    """A select whose value is a period key; the form's clean decides whether it can be read, so a
    key typed into the address gets a message that says what a key looks like."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class PeriodForm(forms.Form):
    period = PeriodSelect(
        label="Period",
        hint="A financial quarter or year (April to March), or other dates",
        error_messages={"required": "Choose a period"},
    )
    start = fields.DateField(
        label="Start date",
        hint="Only if you chose other dates. For example, 1 10 2025",
        required=False,
        error_messages={"invalid": "Enter a real start date", "incomplete": "Start date must include a {missing}"},
    )
    end = fields.DateField(
        label="End date",
        hint="The last day to include. For example, 31 12 2025",
        required=False,
        error_messages={"invalid": "Enter a real end date", "incomplete": "End date must include a {missing}"},
    )

    def __init__(self, *args: Any, today: date, extra: Period | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = period_choices(today)
        if extra is not None and all(p.key != extra.key for p in offered):
            # An older quarter or year named in a link: offer it too, so the select shows it.
            offered.append(extra)
        self.fields["period"].choices = [(p.key, p.label) for p in offered] + [(DATES, "Other dates")]  # type: ignore[attr-defined]
        self.chosen: Period | None = None
        self.today = today

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        self._choose(data)
        return data

    def drawn(self) -> dict[str, SafeString]:
        """Each field's label, hint, boxes and message, drawn. The NHS.UK macros behind them were about
        a quarter of a kept report's page, and a chooser that can be read is the same for
        everyone on the same day with the same address, so it is drawn once per process for each;
        one with a message is drawn as it stands."""
        if self.is_bound and self.errors:
            return _groups(self)
        return _readable_groups(self.today, tuple(sorted(self.data.items())) if self.is_bound else None)

    def _choose(self, data: dict[str, Any]) -> None:
        key = data.get("period")
        if not key:
            return
        if key != DATES:
            try:
                chosen = periods.parse(key)
            except BadPeriod as error:
                self.add_error("period", str(error))
                return
            if chosen.start > self.today:
                self.add_error("period", "Choose a period that has started: there are no figures for the future yet")
                return
            self.chosen = chosen
            return
        if "start" in self.errors or "end" in self.errors:
            return
        start, end = data.get("start"), data.get("end")
        if start is None:
            self.add_error("start", "Enter the start date")
        if end is None:
            self.add_error("end", "Enter the end date")
        if start is None or end is None:
            return
        try:
            chosen = periods.between(start, end)
        except BadPeriod as error:
            self.add_error("end", str(error))
            return
        if chosen.days > LONGEST_DAYS:
            self.add_error("end", "Choose dates no more than 5 years apart")
            return
        if chosen.start > self.today:
            self.add_error("start", "The start date must be today or in the past")
            return
        self.chosen = chosen


def _date_parts(name: str, day: date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def choose(query: QueryDict, today: date) -> PeriodForm:
    """The chooser for this request; `form.chosen` is the period to show, or None with the form's
    errors to show instead. No period in the address means the default."""
    raw = query.get("period")
    if raw is None:
        chosen = default_period(today)
        form = PeriodForm(today=today, initial={"period": chosen.key})
        form.chosen = chosen
        return form
    data: dict[str, str] = {"period": raw.strip()}
    extra = None
    if raw.strip() == DATES:
        for name in ("start", "end"):
            for part in ("day", "month", "year"):
                data[f"{name}-{part}"] = query.get(f"{name}-{part}", "")
    else:
        try:
            extra = periods.parse(raw)
        except BadPeriod:
            pass  # the form says why
        else:
            if ".." in extra.key:
                # A key of two dates: shown in the date boxes.
                data = {"period": DATES, **_date_parts("start", extra.start), **_date_parts("end", extra.end)}
                extra = None
    form = PeriodForm(data, today=today, extra=extra)
    form.is_valid()
    return form


def _groups(form: PeriodForm) -> dict[str, SafeString]:
    return {name: form[name].as_field_group() for name in ("period", "start", "end")}


@lru_cache(maxsize=DRAWN_KEPT)
def _readable_groups(today: date, data: tuple[tuple[str, str], ...] | None) -> dict[str, SafeString]:
    # `choose` on the same address gives the same form: its fields hold exactly `data`.
    query = QueryDict(mutable=True)
    for name, value in data or ():
        query[name] = value
    return _groups(choose(query, today))
