"""Forms for parents' questionnaire links: the practitioner's choice of what to send, and the
parent's pages (the baby's date of birth, then one questionnaire a page). The rules (who may be
sent what, whether a date matches) live in outcomes.links, so they hold whoever calls them."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone

from attune.families.models import Carer, Infant
from attune.nhsuk_forms import fields
from attune.outcomes.forms.questions import answer_message
from attune.outcomes.instruments import Instrument
from attune.outcomes.models import TimePoint

ASK_CONSENT = "yes"


class QuestionnairesField(fields.MultipleChoiceField):
    """The questionnaires to send. One that cannot go by link (its wording is not loaded) is not
    offered, and if posted anyway is refused saying why, not just "from the list"."""

    unavailable: Mapping[str, str] = {}

    def validate(self, value: Any) -> None:
        for code in value or ():
            if code in self.unavailable:
                raise forms.ValidationError(self.unavailable[code], code="unavailable")
        super().validate(value)


class SendLinkForm(forms.Form):
    carer = fields.ChoiceField(
        label="Who is the link for?",
        hint="The link goes to their own phone or email, by the safe way of contacting them recorded for the family",
        error_messages={"required": "Select who the link is for", "invalid_choice": "Select who the link is for"},
    )
    infant = fields.ChoiceField(
        label="Which baby is it about?",
        hint="The parent confirms this baby's date of birth, or due date, to open the link",
        required=False,
        error_messages={"invalid_choice": "Select which baby it is about"},
    )
    instruments = QuestionnairesField(
        label="Questionnaires",
        hint="Select all the parent should answer. They answer them one page at a time.",
        required=False,
        error_messages={
            "required": "Select at least one questionnaire",
            "invalid_choice": "Select questionnaires from the list",
        },
    )
    time_point = fields.ChoiceField(
        label="Time point",
        choices=TimePoint.choices,
        required=False,
        error_messages={"required": "Select the time point", "invalid_choice": "Select the time point"},
    )
    asks_consent = fields.MultipleChoiceField(
        label="Consent",
        choices=[(ASK_CONSENT, "Ask them to give or review their consent")],
        hint="They see the decisions recorded for them (and their baby, if they have parental responsibility) "
        "and can give, refuse or withdraw each one",
        required=False,
        error_messages={"invalid_choice": "Select whether to ask them about their consent"},
    )

    def __init__(
        self,
        *args: Any,
        carers: list[Carer],
        infants: list[Infant],
        instruments: list[Instrument],
        unavailable: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._carers = {str(c.pk): c for c in carers}
        self._infants = {str(i.pk): i for i in infants}
        self.fields["carer"].choices = [  # type: ignore[attr-defined]
            (pk, f"{c.full_name} ({c.get_relationship_display().lower()})") for pk, c in self._carers.items()
        ]
        self.fields["infant"].choices = [(pk, i.display_name) for pk, i in self._infants.items()]  # type: ignore[attr-defined]
        self.asks_infant = len(infants) > 1
        if self.asks_infant:
            self.fields["infant"].required = True
            self.fields["infant"].error_messages["required"] = "Select which baby it is about"
        self.fields["instruments"].choices = [  # type: ignore[attr-defined]
            (i.code, display_name(i)) for i in instruments
        ]
        self.fields["instruments"].unavailable = dict(unavailable or {})  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        asks = bool(data.get("asks_consent"))
        if "instruments" in data and not data["instruments"] and not asks:
            self.add_error(
                "instruments", "Select at least one questionnaire, or ask them to give or review their consent"
            )
        # Asking consent alone measures nothing, so needs no time point; anything else does.
        consent_only = asks and not data.get("instruments") and "instruments" not in self.errors
        if not consent_only and not data.get("time_point") and "time_point" not in self.errors:
            self.add_error("time_point", "Select the time point")
        return data

    def asking_consent(self) -> bool:
        return ASK_CONSENT in (self.cleaned_data.get("asks_consent") or [])

    def chosen_carer(self) -> Carer:
        return self._carers[self.cleaned_data["carer"]]

    def chosen_infant(self) -> Infant | None:
        return self._infants.get(self.cleaned_data.get("infant") or "")


class DateOfBirthForm(forms.Form):
    date_of_birth = fields.DateField(
        label="What is your baby's date of birth?",
        hint="For example, 15 3 2026",
        label_is_page_heading=True,
        error_messages={"required": "Enter your baby's date of birth"},
    )

    def __init__(self, *args: Any, due_date: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["date_of_birth"]
        if due_date:
            field.label = "When is your baby due?"
            field.hint = "For example, 15 3 2027"  # type: ignore[attr-defined]
            field.error_messages["required"] = "Enter your baby's due date"
        self.due_date = due_date

    def clean_date_of_birth(self) -> dt.date:
        day: dt.date = self.cleaned_data["date_of_birth"]
        if not self.due_date and day > timezone.localdate():
            raise forms.ValidationError("Your baby's date of birth must be today or in the past")
        return day


def display_name(instrument: Instrument) -> str:
    """The measure's name with its short name, once: "Edinburgh Postnatal Depression Scale (EPDS)"."""
    return instrument.name if "(" in instrument.name else f"{instrument.name} ({instrument.code})"


def item_label(instrument: Instrument, number: int) -> str:
    """The item's number and wording where the service may show it ("1. Feeling nervous…"),
    else just its number ("Question 1": EPDS without the service's licensed wording)."""
    item = instrument.item(number)
    if instrument.items_licensed and item.text:
        return f"{number}. {item.text}"
    return f"Question {number}"


class QuestionnaireForm(forms.Form):
    """One radio question per item, named item_1, item_2, ...; each answer is the 0-based
    position of the option chosen (the number itself for a rating)."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            if item.numeric:
                assert item.minimum is not None
                assert item.maximum is not None
                choices = [(str(n), str(n)) for n in range(item.minimum, item.maximum + 1)]
            else:
                choices = [(str(position), option.label) for position, option in enumerate(item.options)]
            message = answer_message(instrument, item)
            self.fields[f"item_{item.number}"] = fields.ChoiceField(
                label=item_label(instrument, item.number),
                choices=choices,
                inline=item.numeric,
                error_messages={"required": message, "invalid_choice": message},
            )

    def answers(self) -> list[int]:
        return [int(self.cleaned_data[f"item_{item.number}"]) for item in self.instrument.items]

    @staticmethod
    def data_from(instrument: Instrument, answers: list[int | None]) -> dict[str, str]:
        """Stored answers as the form's data, to show them again."""
        return {
            f"item_{item.number}": str(answer)
            for item, answer in zip(instrument.items, answers, strict=False)
            if answer is not None
        }


class ParentConsentForm(forms.Form):
    """The parent's own decisions (and their baby's): a yes or no radio for each purpose, named
    "<person id>__<purpose>", showing the current decision. None is required: a question left
    as it was changes nothing."""

    def __init__(
        self,
        *args: Any,
        people: list[Carer | Infant],
        questions: Mapping[str, Mapping[str, str]],
        current: Mapping[tuple[str, str], str],
        **kwargs: Any,
    ) -> None:
        kwargs["initial"] = {f"{pk}__{purpose}": answer for (pk, purpose), answer in current.items() if answer}
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[Carer | Infant, list[str]]] = []
        for person in people:
            names = []
            for purpose, question in questions[str(person.pk)].items():
                name = f"{person.pk}__{purpose}"
                self.fields[name] = fields.ChoiceField(
                    label=question,
                    choices=[("yes", "Yes"), ("no", "No")],
                    inline=True,
                    required=False,
                    error_messages={"invalid_choice": "Select yes or no"},
                )
                names.append(name)
            self.groups.append((person, names))

    def answers(self) -> dict[tuple[str, str], str]:
        found: dict[tuple[str, str], str] = {}
        for name, value in self.cleaned_data.items():
            person, _, purpose = name.partition("__")
            if value:
                found[(person, purpose)] = value
        return found
