"""The triage forms, one per decision, each with only that decision's fields (so nothing is
revealed under a radio: NHS.UK's conditional reveals put aria-expanded on radios, which ARIA does
not allow). The decision's rules (what each one needs) live in services.decide; a form only
collects what the person typed, keeps it, and puts the service's problems by the right field."""

from typing import Any, ClassVar

from django import forms

from attune.families.forms import MergeForm
from attune.nhsuk_forms import fields
from attune.referrals import decisions, linking, services
from attune.referrals.codes import DeclineReason, LevelOfNeed, Priority
from attune.referrals.models import Referral, ReferralKind
from attune.referrals.workflow import Status

OUT_OF_DATE = "This page was out of date. Check the referral and decide again"


def _level_of_need(
    label: str = "Level of need", hint: str = "Your clinical judgement of where the baby and relationship are now"
) -> fields.ChoiceField:
    return fields.ChoiceField(
        label=label,
        hint=hint,
        choices=LevelOfNeed.choices,
        required=False,
        error_messages={"invalid_choice": "Select the level of need"},
    )


def _note(label: str, hint: str, rows: int = 3) -> fields.TextareaField:
    return fields.TextareaField(
        label=label,
        hint=hint,
        required=False,
        max_length=2000,
        rows=rows,
        error_messages={"max_length": "Note must be 2000 characters or fewer"},
    )


class SeenStatusField(forms.IntegerField):
    """The id of the status the person saw, so a decision made on an out-of-date page is refused."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": OUT_OF_DATE, "invalid": OUT_OF_DATE})
        super().__init__(**kwargs)


class DecisionForm(forms.Form):
    """One triage decision. Every field is optional here: services.decide says what is missing,
    so the same rules hold whoever calls it."""

    status: ClassVar[Status]
    seen_status = SeenStatusField()

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral = referral

    def shown_fields(self) -> list[forms.BoundField]:
        """The fields the page shows: all but a confirmation nobody has been asked for."""
        return [field for field in self.visible_fields() if field.name != CONFIRM or self.confirming]

    @property
    def confirming(self) -> bool:
        """Asked to confirm a reason that contradicts the eligibility check, or confirmed it."""
        return CONFIRM in self.fields and self.is_bound and (bool(self.data.get(CONFIRM)) or CONFIRM in self.errors)

    def ask_to_confirm(self, contradiction: decisions.Contradiction) -> None:
        """Show the confirmation, with the question as its message (DeclineForm)."""
        field: Any = self.fields[CONFIRM]
        field.choices = [(CONFIRMED, contradiction.answer)]
        self.add_error(CONFIRM, contradiction.question)

    def to_decision(self) -> services.Decision:
        data = self.cleaned_data
        return services.Decision(
            status=self.status,
            level_of_need=data.get("level_of_need") or "",
            priority=data.get("priority") or "",
            signposted_to=data.get("signposted_to") or "",
            decline_reason=data.get("decline_reason") or "",
            note=data.get("note") or "",
            against_eligibility=CONFIRMED in (data.get(CONFIRM) or []),
        )

    def hint_priorities(self, hints: dict[str, str]) -> None:
        """Under each priority, how soon the team means to see a family given it (a form
        without a priority has nothing to hint)."""
        if "priority" in self.fields:
            field: Any = self.fields["priority"]
            field.item_hints = hints

    def add_problems(self, problems: dict[str, str]) -> None:
        """The service's problems, by its field names, next to the fields of the same names."""
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)


class AcceptForm(DecisionForm):
    status = Status.ACCEPTED
    level_of_need = _level_of_need()
    # One under another, not inline: each has the team's first-contact target as its hint.
    priority = fields.ChoiceField(
        label="Priority",
        choices=Priority.choices,
        required=False,
        error_messages={"invalid_choice": "Select the priority"},
    )
    note = _note("Note (optional)", "Kept in the referral's history. It is not sent to anyone.")


class SignpostForm(DecisionForm):
    status = Status.SIGNPOSTED
    level_of_need = _level_of_need()
    signposted_to = fields.CharField(
        label="Which service are you signposting the family to?",
        hint="For example, Blackburn with Darwen perinatal mental health team",
        required=False,
        max_length=300,
        error_messages={"max_length": "Service name must be 300 characters or fewer"},
    )
    note = _note(
        "What should the family and referrer know? (optional)",
        "For example, how to contact the service. Included in the letter and the messages to the family and referrer.",
    )


# Declining for a reason the eligibility check contradicts needs this ticked (services.decide).
CONFIRM = "confirm"
CONFIRMED = "yes"


class DeclineForm(DecisionForm):
    status = Status.DECLINED
    decline_reason = fields.ChoiceField(
        label="Why are you declining the referral?",
        choices=DeclineReason.choices,
        required=False,
        error_messages={"invalid_choice": "Select why the referral is declined"},
    )
    # A referral declined for age or area may be declined before anyone can judge the need.
    level_of_need = _level_of_need(
        "Level of need (optional)", "Leave this out if nobody has been able to judge the need yet"
    )
    note = _note(
        "More about the reason",
        "Needed if you chose another reason. Included in the message to the referrer, not the family.",
    )
    # Shown only once the reason is found to contradict the eligibility check (shown_fields).
    confirm = fields.MultipleChoiceField(
        label="Check the reason for declining",
        choices=[(CONFIRMED, "Yes, decline for this reason")],
        required=False,
        error_messages={"invalid_choice": "Select whether to decline for this reason anyway"},
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, referral=referral, **kwargs)
        # The answer ticked names the reason chosen, so the page reads the same when it comes back.
        chosen = decisions.AGAINST_ELIGIBILITY.get(self.data.get("decline_reason", ""))
        if chosen is not None:
            field: Any = self.fields[CONFIRM]
            field.choices = [(CONFIRMED, chosen[1].answer)]


class AskForInformationForm(DecisionForm):
    status = Status.AWAITING_INFORMATION
    note = _note(
        "What information do you need from the referrer?",
        "This is sent to the referrer with the reference number.",
        rows=5,
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, referral=referral, **kwargs)
        if referral.kind == ReferralKind.SELF:
            # A family who referred themselves is the one asked (services.decide).
            note: Any = self.fields["note"]
            note.label = "What information do you need from the family?"
            note.hint = "This is sent to the family with the reference number, if there is a safe way to reach them."


# Each decision's form, by the status of its entry in decisions.DECISIONS.
FORMS: dict[Status, type[DecisionForm]] = {form.status: form for form in DecisionForm.__subclasses__()}


class InformationReceivedForm(forms.Form):
    seen_status = SeenStatusField()
    received_note = fields.TextareaField(
        label="What did the referrer tell you?",
        hint="Kept in the referral's history. The triage clock starts again.",
        max_length=2000,
        rows=4,
        error_messages={
            "required": "Enter what the referrer told you",
            "max_length": "Note must be 2000 characters or fewer",
        },
    )


class LinkForm(MergeForm):
    """Why the referral is the same family (the merge's reason), and for each detail the referral
    gives differently about the same people, which the family record keeps (linking.differences).
    Only the choice is posted: what either side holds is read again from the records."""

    def __init__(self, *args: Any, differences: list[linking.Difference], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.differences = differences
        for difference in differences:
            message = difference.missing_message
            self.fields[difference.key] = fields.ChoiceField(
                label=difference.question,
                choices=[
                    (
                        linking.KEEP,
                        f"Keep {difference.kept} (on the family record)"
                        if difference.kept != linking.NOT_GIVEN
                        else "Leave it blank (the family record has none)",
                    ),
                    (linking.USE, f"Use {difference.given} (from this referral)"),
                ],
                initial=difference.default,
                error_messages={"required": message, "invalid_choice": message},
            )
        # The choices come before the reason on the page, and so in the error summary.
        self.fields["reason"] = self.fields.pop("reason")

    def choice_fields(self) -> list[forms.BoundField]:
        return [self[difference.key] for difference in self.differences]

    def taken(self) -> list[linking.Difference]:
        """The details chosen from the referral."""
        return [d for d in self.differences if self.cleaned_data.get(d.key) == linking.USE]
