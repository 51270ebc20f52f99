"""The IG lead's search and filter forms. All are GET forms, so a page's address says what it
shows, its pagination links keep it, and it can be shared with a colleague who may see it too."""

import uuid
from datetime import date, timedelta
from functools import cache
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.safestring import SafeString

from attune.core.models import AuditEvent, Outcome
from attune.governance.access import DateRange, day_start
from attune.governance.presenters import ACTION_LABELS
from attune.nhsuk_forms import fields

FIND_LONGEST = 100
MIN_CHARACTERS = 2
DATE_BOXES = ("start-day", "start-month", "start-year", "end-day", "end-month", "end-year")


def _date(label: str, which: str, hint: str) -> fields.DateField:
    return fields.DateField(
        label=label,
        hint=hint,
        required=False,
        error_messages={
            "invalid": f"The '{which}' date must be a real date",
            "incomplete": f"The '{which}' date must include a {{missing}}",
        },
    )


def a_year_before(day: date) -> date:
    """The same day a year before, plus one (29 February becomes 1 March): 12 months, both ends in."""
    try:
        return day.replace(year=day.year - 1) + timedelta(days=1)
    except ValueError:
        return date(day.year - 1, 3, 1)


class DatesMixin:
    """'From' and 'to' dates, both optional; the 'to' date not before the 'from' date."""

    def check_dates(self, data: dict[str, Any]) -> None:
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end < start:
            self.add_error("end", "The 'to' date must be the same as or after the 'from' date")  # type: ignore[attr-defined]


class FindFamilyForm(forms.Form):
    family = fields.CharField(
        label="Find a family",
        hint="A name, NHS number, date of birth, postcode or referral reference",
        max_length=FIND_LONGEST,
        spellcheck=False,
        error_messages={
            "required": "Enter a name, NHS number, date of birth, postcode or referral reference",
            "max_length": f"Enter {FIND_LONGEST} characters or fewer",
        },
    )


class FindStaffForm(forms.Form):
    staff = fields.CharField(
        label="Find a member of staff",
        hint="A name or email address, or part of one",
        max_length=FIND_LONGEST,
        spellcheck=False,
        error_messages={
            "required": "Enter a name or email address",
            "max_length": f"Enter {FIND_LONGEST} characters or fewer",
        },
    )

    def clean_staff(self) -> str:
        text = " ".join(str(self.cleaned_data["staff"]).split())
        if len(text) < MIN_CHARACTERS:
            raise forms.ValidationError(f"Enter at least {MIN_CHARACTERS} characters of a name or email address")
        return text


class DateRangeForm(DatesMixin, forms.Form):
    start = _date("From", "from", "For example, 1 4 2025")
    end = _date("To", "to", "The last day to include. For example, 31 3 2026")

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        self.check_dates(data)
        return data

    def period(self) -> DateRange:
        """The days chosen; the last 12 months by default, and up to today or from a year before
        the 'to' date when only one date is given."""
        data = self.cleaned_data if self.is_bound else {}
        start, end = data.get("start"), data.get("end")
        if end is None:
            end = max(start, self.today) if start is not None else self.today
        return DateRange(start or a_year_before(end), end)


def date_range_form(query: QueryDict, today: date) -> DateRangeForm:
    """Bound to the address when it holds a date; otherwise the last 12 months shown in the boxes."""
    if any(query.get(name) for name in DATE_BOXES):
        return DateRangeForm(query, today=today)
    default = DateRangeForm(today=today).period()
    return DateRangeForm(today=today, initial={"start": default.start, "end": default.end})


REFUSED_OR_FAILED = "refused"
OUTCOME_CHOICES = [
    ("", "Any outcome"),
    (Outcome.SUCCESS.value, Outcome.SUCCESS.label),
    (REFUSED_OR_FAILED, "Refused or failed"),
    (Outcome.DENIED.value, Outcome.DENIED.label),
    (Outcome.NOT_FOUND.value, Outcome.NOT_FOUND.label),
    (Outcome.FAILURE.value, Outcome.FAILURE.label),
]


def action_choices() -> list[tuple[str, str]]:
    return [("", "Any action"), *sorted(ACTION_LABELS.items(), key=lambda item: item[1].casefold())]


class EventFilterForm(DatesMixin, forms.Form):
    who = fields.CharField(
        label="Person",
        hint="A name or email address, or part of one",
        required=False,
        max_length=FIND_LONGEST,
        spellcheck=False,
        error_messages={"max_length": f"Enter {FIND_LONGEST} characters or fewer"},
    )
    # Set by a link from a member of staff found on the Find page (hidden on this form).
    person = forms.CharField(required=False, max_length=40)
    action = fields.SelectField(
        label="Action", required=False, error_messages={"invalid_choice": "Select an action from the list"}
    )
    start = _date("From", "from", "For example, 1 4 2025")
    end = _date("To", "to", "For example, 31 3 2026")
    outcome = fields.SelectField(
        label="Outcome",
        required=False,
        choices=OUTCOME_CHOICES,
        error_messages={"invalid_choice": "Select an outcome from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = action_choices()  # type: ignore[attr-defined]

    def clean_person(self) -> uuid.UUID | None:
        value = str(self.cleaned_data.get("person") or "").strip()
        if not value:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise forms.ValidationError("Find the person again: the link you followed was not complete") from None

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        self.check_dates(data)
        return data

    def narrow(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """The events matching every filter given (call once the form is valid)."""
        data = self.cleaned_data
        if who := " ".join(str(data.get("who") or "").split()):
            events = events.filter(
                Q(actor__full_name__icontains=who) | Q(actor__email__icontains=who) | Q(actor_label__icontains=who)
            )
        if data.get("person"):
            events = events.filter(actor_id=data["person"])
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("start"):
            events = events.filter(occurred_at__gte=day_start(data["start"]))
        if data.get("end"):
            events = events.filter(occurred_at__lt=day_start(data["end"] + timedelta(days=1)))
        outcome = data.get("outcome")
        if outcome == REFUSED_OR_FAILED:
            events = events.exclude(outcome=Outcome.SUCCESS)
        elif outcome:
            events = events.filter(outcome=outcome)
        return events

    def recorded(self) -> dict[str, str]:
        """The filters given, for the audit event of reading the log."""
        data = self.cleaned_data
        chosen = {
            "who": " ".join(str(data.get("who") or "").split()),
            "person": str(data.get("person") or ""),
            "action": str(data.get("action") or ""),
            "from": data["start"].isoformat() if data.get("start") else "",
            "to": data["end"].isoformat() if data.get("end") else "",
            "outcome": str(data.get("outcome") or ""),
        }
        return {name: value for name, value in chosen.items() if value}


def event_filter_form(query: QueryDict) -> EventFilterForm:
    """The /audit filters from the address. `show=refused` (the log's older link) means the
    outcome 'Refused or failed'."""
    data = query.copy()
    if data.get("show") == REFUSED_OR_FAILED and not data.get("outcome"):
        data["outcome"] = REFUSED_OR_FAILED
    return EventFilterForm(data)


def field_groups(form: EventFilterForm) -> dict[str, SafeString]:
    """Each filter's label, hint, box and message, drawn. The NHS.UK macros behind them took about
    a third of the audit log's time (the action list alone has a macro call per action), and with
    no filter in the address the form is the same for everyone, so that form is drawn once per
    process; a form with anything in the address (even an empty box) is drawn as it stands."""
    if all(
        field.widget.value_omitted_from_data(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
    ):
        return _unfiltered_groups()
    return _drawn(form)


def _drawn(form: EventFilterForm) -> dict[str, SafeString]:
    return {name: form[name].as_field_group() for name in form.fields if name != "person"}


@cache
def _unfiltered_groups() -> dict[str, SafeString]:
    return _drawn(event_filter_form(QueryDict()))
