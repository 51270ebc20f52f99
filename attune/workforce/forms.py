"""Forms on the workforce pages: they keep what was typed and say what is missing in NHS content
style; the rules (who may sign off, the limits on an activity) live in workforce.services."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from attune.accounts.models import User
from attune.core.validators import whole_number
from attune.nhsuk_forms import fields
from attune.workforce import frameworks
from attune.workforce.models import ActivityKind, EvidenceKind
from attune.workforce.services import MAX_ATTENDEES, MAX_HOURS, MIN_ATTENDEES, MIN_HOURS


def competency_choices(competencies: list[frameworks.Competency]) -> list[tuple[str, str]]:
    return [(c.code, f"{c.code}: {c.title}") for c in competencies]


class _CompetencyForm(forms.Form):
    """A form about one competency of the trainee's framework, chosen from those offered."""

    not_offered = "Select a competency from the list"

    def __init__(self, *args: Any, competencies: list[frameworks.Competency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"] = fields.SelectField(
            label="Competency",
            choices=[("", "Select a competency"), *competency_choices(competencies)],
            error_messages={"required": "Select a competency", "invalid_choice": self.not_offered},
        )
        # The competency comes first on the page.
        self.order_fields(["competency"])


class EvidenceForm(_CompetencyForm):
    kind = fields.ChoiceField(
        label="Kind of evidence",
        choices=EvidenceKind.choices,
        error_messages={"required": "Select the kind of evidence", "invalid_choice": "Select the kind of evidence"},
    )
    dated_on = fields.DateField(
        label="Date of the evidence",
        hint="For example, 15 3 2026",
        not_future=True,
        error_messages={"required": "Enter the date of the evidence"},
    )
    description = fields.TextareaField(
        label="What it shows",
        hint="Describe what was observed, discussed or written, without identifying a family.",
        max_length=2000,
        rows=4,
        error_messages={
            "required": "Enter what the evidence shows",
            "max_length": "Description must be 2000 characters or fewer",
        },
    )


class SignOffForm(_CompetencyForm):
    not_offered = "Select a competency not yet signed off"

    signed_on = fields.DateField(
        label="Date of sign-off",
        hint="For example, 15 3 2026",
        not_future=True,
        error_messages={"required": "Enter the date of sign-off"},
    )
    comment = fields.TextareaField(
        label="Comment",
        hint="What the trainee has shown, and on what evidence.",
        max_length=2000,
        rows=4,
        error_messages={
            "required": "Enter a comment about the sign-off",
            "max_length": "Comment must be 2000 characters or fewer",
        },
    )


class ActivityForm(forms.Form):
    kind = fields.ChoiceField(
        label="What was given",
        choices=ActivityKind.choices,
        inline=True,
        error_messages={
            "required": "Select consultation or training",
            "invalid_choice": "Select consultation or training",
        },
    )
    held_on = fields.DateField(
        label="Date",
        hint="For example, 15 3 2026",
        not_future=True,
        error_messages={"required": "Enter the date"},
    )
    audience = fields.CharField(
        label="Audience",
        hint="For example, health visitors or family hub staff",
        max_length=200,
        error_messages={
            "required": "Enter who the audience was",
            "max_length": "Audience must be 200 characters or fewer",
        },
    )
    attendees = fields.CharField(
        label="Number of attendees",
        classes="nhsuk-input--width-4",
        inputmode="numeric",
        error_messages={"required": "Enter the number of attendees"},
    )
    topic = fields.CharField(
        label="Topic",
        max_length=200,
        error_messages={"required": "Enter the topic", "max_length": "Topic must be 200 characters or fewer"},
    )
    hours = fields.CharField(
        label="Hours",
        hint="Time given, including preparation, in hours. For example, 1.5",
        classes="nhsuk-input--width-4",
        inputmode="decimal",
        error_messages={"required": "Enter the hours"},
    )

    def clean_attendees(self) -> int:
        attendees = whole_number(self.cleaned_data["attendees"])
        if attendees is None or not MIN_ATTENDEES <= attendees <= MAX_ATTENDEES:
            raise forms.ValidationError(
                f"Number of attendees must be a whole number between {MIN_ATTENDEES} and {MAX_ATTENDEES}"
            )
        return attendees

    def clean_hours(self) -> Decimal:
        raw = self.cleaned_data["hours"].strip()
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError("Hours must be a number, like 1.5") from None
        if not value.is_finite() or not MIN_HOURS <= value <= MAX_HOURS or value != value.quantize(Decimal("0.01")):
            raise forms.ValidationError("Hours must be between 0.25 and 40, like 1.5")
        return value


def people_choices(people: list[User]) -> list[tuple[str, str]]:
    return [(str(person.pk), person.full_name) for person in people]


class NewPlanForm(forms.Form):
    trainee = fields.ChoiceField(
        label="Trainee",
        error_messages={"required": "Select the trainee", "invalid_choice": "Select a trainee from the list"},
    )
    programme = fields.CharField(
        label="Programme",
        hint="For example, PG Diploma in Parent-Infant Psychotherapy",
        max_length=200,
        error_messages={
            "required": "Enter the programme",
            "max_length": "Programme must be 200 characters or fewer",
        },
    )
    course_provider = fields.CharField(
        label="Course provider",
        max_length=200,
        error_messages={
            "required": "Enter the course provider",
            "max_length": "Course provider must be 200 characters or fewer",
        },
    )
    started_on = fields.DateField(
        label="Start date",
        hint="For example, 1 11 2026",
        error_messages={"required": "Enter the start date"},
    )
    expected_qualification_on = fields.DateField(
        label="Expected qualification date",
        hint="For example, 31 10 2028",
        error_messages={"required": "Enter the expected qualification date"},
    )
    framework = fields.ChoiceField(
        label="Competency framework",
        error_messages={
            "required": "Select a competency framework",
            "invalid_choice": "Select a competency framework from the list",
        },
    )
    supervisor = fields.ChoiceField(
        label="Supervisor",
        error_messages={"required": "Select the supervisor", "invalid_choice": "Select a supervisor from the list"},
    )

    def __init__(
        self,
        *args: Any,
        trainees: list[User],
        supervisors: list[User],
        framework_codes: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in [*trainees, *supervisors]}
        self.fields["trainee"].choices = people_choices(trainees)  # type: ignore[attr-defined]
        self.fields["supervisor"].choices = people_choices(supervisors)  # type: ignore[attr-defined]
        self.fields["framework"].choices = [  # type: ignore[attr-defined]
            (code, frameworks.load(code).name) for code in framework_codes
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, expected = data.get("started_on"), data.get("expected_qualification_on")
        if started and expected and expected <= started:
            self.add_error("expected_qualification_on", "Expected qualification date must be after the start date")
        if data.get("trainee") and data.get("trainee") == data.get("supervisor"):
            self.add_error("supervisor", "Select a supervisor who is not the trainee")
        return data

    def person(self, name: str) -> User:
        return self.people[self.cleaned_data[name]]


class PostForm(forms.Form):
    title = fields.CharField(
        label="Title of the post",
        hint="For example, Parent-infant therapist (band 7)",
        max_length=200,
        error_messages={
            "required": "Enter the title of the post",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    holder = fields.SelectField(
        label="Held by (optional)",
        required=False,
        error_messages={"invalid_choice": "Select someone in the team, or leave the post vacant"},
    )
    starts_on = fields.DateField(
        label="Start date",
        hint="For example, 1 4 2026",
        error_messages={"required": "Enter the start date"},
    )
    ends_on = fields.DateField(
        label="End date (optional)",
        hint="Leave blank for a permanent post. For example, 31 3 2027",
        required=False,
    )
    funded_by = fields.CharField(
        label="Funded by",
        hint="For example, Seaside Council public health grant",
        max_length=200,
        error_messages={
            "required": "Enter who funds the post",
            "max_length": "Funded by must be 200 characters or fewer",
        },
    )

    def __init__(self, *args: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in members}
        self.fields["holder"].choices = [("", "Vacant"), *people_choices(members)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "End date must be the same as or after the start date")
        return data

    def chosen_holder(self) -> User | None:
        raw = self.cleaned_data.get("holder") or ""
        return self.people.get(raw)
