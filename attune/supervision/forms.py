"""Recording supervision. The form keeps everything typed; the actions decide what is allowed and
their refusals are put next to the field they are about."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from attune.accounts.models import User
from attune.care.models import Episode
from attune.core.validators import whole_number
from attune.nhsuk_forms import fields
from attune.supervision import standard
from attune.supervision.models import SessionFormat, SessionKind
from attune.supervision.services import (
    LONGEST_SESSION,
    MAX_ACTIONS,
    SHORTEST_SESSION,
    STANDARD_HOURS_MAX,
    STANDARD_MINUTES,
    STANDARD_YEARS_MAX,
    ActionInput,
)

ACTION_NUMBERS = range(1, MAX_ACTIONS + 1)


class SessionForm(forms.Form):
    kind = fields.ChoiceField(
        label="Type of supervision",
        choices=SessionKind.choices,
        inline=True,
        error_messages={
            "required": "Select individual or group supervision",
            "invalid_choice": "Select individual or group supervision",
        },
    )
    supervisees = fields.MultipleChoiceField(
        label="Who did you supervise?",
        hint="Select everyone who was there. For individual supervision, select one person",
        error_messages={"required": "Select who you supervised", "invalid_choice": "Select people from the list"},
    )
    held_on = fields.DateField(
        label="Date of supervision",
        hint="For example, 15 3 2027",
        not_future=True,
        error_messages={
            "required": "Enter the date of the supervision",
            "future": "The date of the supervision must be today or in the past",
        },
    )
    duration_minutes = fields.CharField(
        label="Length in minutes",
        hint=f"Between {SHORTEST_SESSION} and {LONGEST_SESSION} minutes, for example 60",
        classes="nhsuk-input--width-4",
        inputmode="numeric",
        max_length=3,
        error_messages={
            "required": "Enter the length of the supervision in minutes",
            "max_length": "Enter the length in minutes, like 60",
        },
    )
    format = fields.ChoiceField(
        label="How was it held?",
        choices=SessionFormat.choices,
        inline=True,
        error_messages={"required": "Select in person or video", "invalid_choice": "Select in person or video"},
    )
    episodes = fields.MultipleChoiceField(
        label="Families discussed (optional)",
        hint="Families currently held by the people you can supervise. Only people who may see a family will see that it was discussed",
        required=False,
        error_messages={"invalid_choice": "Select families from the list"},
    )
    notes = fields.TextareaField(
        label="Decisions and reflections (optional)",
        hint="Do not write families' names here: link them above so only people who may see them can",
        required=False,
        max_length=5000,
        rows=4,
        error_messages={"max_length": "Decisions and reflections must be 5000 characters or fewer"},
    )

    def __init__(
        self,
        *args: Any,
        supervisor: User,
        people: list[User],
        episodes: list[Episode],
        episode_labels: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.supervisor = supervisor
        self.people = {str(person.pk): person for person in people}
        self.episode_ids = {str(episode.pk): episode for episode in episodes}
        self.fields["supervisees"].choices = [  # type: ignore[attr-defined]
            (pk, person_label(person)) for pk, person in self.people.items()
        ]
        self.fields["episodes"].choices = list(episode_labels.items())  # type: ignore[attr-defined]
        owners = [("", "Select who will do it"), (str(supervisor.pk), f"{supervisor.full_name} (you)")]
        owners += [(pk, person.full_name) for pk, person in self.people.items()]
        for n in ACTION_NUMBERS:
            self.fields[f"action_{n}"] = fields.CharField(
                label=f"Action {n} (optional)",
                required=False,
                max_length=500,
                error_messages={"max_length": f"Action {n} must be 500 characters or fewer"},
            )
            self.fields[f"action_{n}_owner"] = fields.SelectField(
                label=f"Who will do action {n}",
                hint="You, or someone you supervised in this session",
                required=False,
                choices=owners,
                error_messages={"invalid_choice": f"Select who will do action {n}"},
            )
            self.fields[f"action_{n}_due"] = fields.DateField(
                label=f"Action {n} due by", hint="For example, 15 3 2027", required=False
            )

    def clean_duration_minutes(self) -> int:
        text = self.cleaned_data["duration_minutes"].strip()
        minutes = whole_number(text)
        if minutes is None:
            raise forms.ValidationError("Enter the length in whole minutes, like 60")
        if not SHORTEST_SESSION <= minutes <= LONGEST_SESSION:
            raise forms.ValidationError(f"The length must be between {SHORTEST_SESSION} and {LONGEST_SESSION} minutes")
        return minutes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("supervisees") or []
        if data.get("kind") == SessionKind.INDIVIDUAL and len(chosen) > 1:
            self.add_error(
                "supervisees", "Individual supervision is with one person. Select one, or choose group supervision"
            )
        for n in ACTION_NUMBERS:
            text = (data.get(f"action_{n}") or "").strip()
            owner, due = data.get(f"action_{n}_owner"), data.get(f"action_{n}_due")
            if not text and not owner and not due:
                continue
            if not text:
                self.add_error(f"action_{n}", f"Describe action {n}, or clear its owner and due date")
            if not owner and f"action_{n}_owner" not in self.errors:
                self.add_error(f"action_{n}_owner", f"Select who will do action {n}")
            elif owner and owner != str(self.supervisor.pk) and owner not in chosen:
                self.add_error(
                    f"action_{n}_owner", f"Action {n} must belong to you or someone you supervised in this session"
                )
            if due is None and f"action_{n}_due" not in self.errors:
                self.add_error(f"action_{n}_due", f"Enter the date action {n} is due by")
            elif due is not None and data.get("held_on") and due < data["held_on"]:
                self.add_error(f"action_{n}_due", f"Action {n} cannot be due before the supervision")
        return data

    def chosen_people(self) -> list[User]:
        return [self.people[pk] for pk in self.cleaned_data["supervisees"]]

    def chosen_episodes(self) -> list[Episode]:
        return [self.episode_ids[pk] for pk in self.cleaned_data.get("episodes") or []]

    def actions(self) -> list[ActionInput]:
        people = {**self.people, str(self.supervisor.pk): self.supervisor}
        found = []
        for n in ACTION_NUMBERS:
            text = (self.cleaned_data.get(f"action_{n}") or "").strip()
            if text:
                found.append(
                    ActionInput(
                        description=text,
                        owner=people[self.cleaned_data[f"action_{n}_owner"]],
                        due_on=self.cleaned_data[f"action_{n}_due"],
                    )
                )
        return found

    def field_for(self, message: str) -> str | None:
        """Which field an action's refusal is about."""
        lowered = message.lower()
        for words, name in (
            ("family", "episodes"),
            ("action", "action_1"),
            ("date", "held_on"),
            ("length", "duration_minutes"),
            ("individual", "supervisees"),
            ("supervise", "supervisees"),
        ):
            if words in lowered:
                return name
        return None


def person_label(person: User) -> str:
    teams = [m.team.name for m in getattr(person, "current_memberships", []) if m.team is not None]
    roles = sorted({m.get_role_display() for m in getattr(person, "current_memberships", [])})
    where = ", ".join(dict.fromkeys(teams))
    return f"{person.full_name} ({'; '.join(roles)}, {where})" if where else person.full_name


class CompleteActionForm(forms.Form):
    note = fields.TextareaField(
        label="What was done (optional)",
        required=False,
        max_length=1000,
        rows=3,
        error_messages={"max_length": "What was done must be 1000 characters or fewer"},
    )


class ExperienceForm(forms.Form):
    since = fields.DateField(
        label="Experience with under-2s since",
        hint="When they started working with babies and their parents. For example, 1 9 2021",
        not_future=True,
        error_messages={"required": "Enter when their experience with under-2s began"},
    )
    weekly_hours = fields.CharField(
        label="Contracted hours a week",
        hint="Full time is 37.5. For example, 22.5",
        classes="nhsuk-input--width-4",
        inputmode="decimal",
        error_messages={"required": "Enter their contracted hours a week"},
    )

    def clean_weekly_hours(self) -> Decimal:
        raw = self.cleaned_data["weekly_hours"].strip()
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError("Contracted hours must be a number, like 22.5") from None
        if not value.is_finite() or not Decimal(1) <= value <= Decimal(60) or value != value.quantize(Decimal("0.1")):
            raise forms.ValidationError("Contracted hours must be between 1 and 60 a week, like 22.5")
        return value


class ReturnNoteForm(forms.Form):
    comments = fields.TextareaField(
        label="Comments for the trainee",
        hint="Say what to add or correct. The signed note is not changed: they answer with an addendum.",
        rows=5,
        max_length=5000,
        error_messages={
            "required": "Enter your comments for the trainee",
            "max_length": "Comments must be 5,000 characters or fewer",
        },
    )


class AnswerReturnForm(forms.Form):
    addendum = fields.TextareaField(
        label="Add an addendum",
        hint="The signed note cannot be changed. The addendum is added below it with your name and the time, "
        "and the note goes back to your supervisor to countersign.",
        rows=5,
        max_length=5000,
        error_messages={"required": "Write the addendum", "max_length": "Addendum must be 5,000 characters or fewer"},
    )


# The service's supervision standard ---------------------------------------------------------------
# The form parses what was typed and keeps it; the ranges are checked by the action
# (services.change_supervision_standard), whose problems the view puts by the right field.

PERIOD_CHOICES = [(str(standard.WEEK), "Every week"), (str(standard.FORTNIGHT), "Every fortnight")]
HOURS_TYPED = re.compile(r"[0-9]{1,3}(\.[0-9]+)?")


def _whole_field(label: str, hint: str, *, too_long: str) -> fields.CharField:
    # A cap on the length: int() refuses thousands of digits with an error of its own.
    return fields.CharField(
        label=label,
        hint=hint,
        max_length=6,
        inputmode="numeric",
        classes="nhsuk-input--width-4",
        spellcheck=False,
        error_messages={"max_length": too_long},
    )


def _period_field(label: str, who: str) -> fields.ChoiceField:
    message = f"Select how often practitioners with {who} experience need supervision"
    return fields.ChoiceField(
        label=label, choices=PERIOD_CHOICES, error_messages={"required": message, "invalid_choice": message}
    )


class StandardForm(forms.Form):
    minutes_per_period = _whole_field(
        "Minutes of supervision each week or fortnight",
        "For someone working full time. The Parent-Infant Foundation standard is 60.",
        too_long=f"Minutes of supervision must be between {STANDARD_MINUTES[0]} and {STANDARD_MINUTES[1]}",
    )
    less_experienced_period = _period_field("How often do practitioners with less experience need supervision?", "less")
    experienced_after_years = _whole_field(
        "Years of experience with under-2s before supervision can be less often",
        "The Parent-Infant Foundation standard is 3. Enter 0 if experience makes no difference.",
        too_long=f"Years of experience must be between 0 and {STANDARD_YEARS_MAX}",
    )
    experienced_period = _period_field("How often do practitioners with more experience need supervision?", "more")
    full_time_hours = fields.CharField(
        label="Full-time hours a week",
        hint="Part-time practitioners need supervision pro rata against these hours. For example, 37.5",
        max_length=6,
        inputmode="decimal",
        classes="nhsuk-input--width-4",
        spellcheck=False,
        error_messages={
            "max_length": f"Full-time hours must be more than 0 and no more than {STANDARD_HOURS_MAX}",
        },
    )
    effective_from = fields.DateField(
        label="Date the change applies from",
        hint="Today or a later date. Reports of earlier periods keep the standard in force at the time.",
        error_messages={"required": "Enter the date the change applies from"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["minutes_per_period"].error_messages["required"] = "Enter the minutes of supervision"
        self.fields["experienced_after_years"].error_messages["required"] = "Enter the years of experience"
        self.fields["full_time_hours"].error_messages["required"] = "Enter the full-time hours a week"

    def _whole(self, name: str, words: str, example: str) -> int:
        number = whole_number(self.cleaned_data.get(name) or "")
        if number is None:
            raise forms.ValidationError(f"Enter the {words} as a whole number, like {example}")
        return number

    def clean_minutes_per_period(self) -> int:
        return self._whole("minutes_per_period", "minutes of supervision", "60")

    def clean_experienced_after_years(self) -> int:
        return self._whole("experienced_after_years", "years of experience", "3")

    def clean_full_time_hours(self) -> Decimal:
        text = (self.cleaned_data.get("full_time_hours") or "").strip()
        if not HOURS_TYPED.fullmatch(text):
            raise forms.ValidationError("Enter full-time hours as a number, like 37.5")
        return Decimal(text)

    def clean_less_experienced_period(self) -> int:
        return int(self.cleaned_data["less_experienced_period"])

    def clean_experienced_period(self) -> int:
        return int(self.cleaned_data["experienced_period"])

    def chosen_standard(self) -> standard.Standard:
        data = self.cleaned_data
        return standard.Standard(
            minutes_per_period=data["minutes_per_period"],
            full_time_hours=data["full_time_hours"],
            experienced_after_years=data["experienced_after_years"],
            less_experienced_period=data["less_experienced_period"],
            experienced_period=data["experienced_period"],
        )
