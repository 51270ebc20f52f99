"""The pages about the family: where they live, the baby (born or not), the parents and carers
and how to contact them safely, and the address."""

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from attune.core.formatting import nhs_number
from attune.core.validators import is_valid_nhs_number, is_valid_postcode, normalise_nhs_number, normalise_postcode
from attune.families.codes import (
    ContactPreference,
    ParentalResponsibility,
    Relationship,
)
from attune.nhsuk_forms import fields
from attune.organisations.areas import local_authority_for
from attune.referrals.eligibility import Rules, age_problem
from attune.referrals.public_forms.lookups import not_covered_message
from attune.referrals.public_forms.questions import PublicForm, clean_phone, example_date, long_text, text, yes_no
from attune.referrals.services import team_covering


class PostcodeForm(PublicForm):
    question = "postcode"
    postcode = fields.CharField(
        max_length=10,
        autocomplete="postal-code",
        classes="nhsuk-input--width-10",
        spellcheck=False,
        error_messages={"max_length": "Enter a real postcode, like BB1 7DJ"},
    )

    def word(self) -> None:
        self.set(
            "postcode",
            self.say("What is the family's postcode?", "What is your postcode?"),
            hint=self.say(
                "We use this to find the team that covers where the family lives",
                "We use this to find the team that covers where you live",
            ),
            required=self.say("Enter the family's postcode", "Enter your postcode"),
        )
        if not self.for_parent:
            self.fields["postcode"].autocomplete = "off"  # type: ignore[attr-defined]

    def clean_postcode(self) -> str:
        value = normalise_postcode(self.cleaned_data["postcode"])
        if not is_valid_postcode(value):
            raise forms.ValidationError("Enter a real postcode, like BB1 7DJ")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "postcode" in cleaned:
            area = local_authority_for(cleaned["postcode"])
            team = team_covering(area) if area else None
            if team is None:
                self.add_error("postcode", not_covered_message())
            else:
                cleaned["local_authority"], cleaned["team"] = area, team
        return cleaned

    def summary(self) -> list[tuple[str, str, str]]:
        return [("Postcode", self.cleaned_data["postcode"], self["postcode"].id_for_label)]


class IsParentForm(PublicForm):
    """Self-referral only: a parent refers themselves (B1), anyone else for them (B2)."""

    question = "is_parent"
    is_parent = yes_no(
        "Are you the baby's parent?",
        hint="Select no if you are a grandparent, foster carer or another family member",
        error_messages={"required": "Select whether you are the baby's parent"},
    )
    summary_labels = {"is_parent": "You are the baby's parent"}


class BornForm(PublicForm):
    question = "born"
    summary_labels = {"born": "Born yet"}
    born = fields.ChoiceField(choices=[("yes", "Yes"), ("no", "No, not yet")], inline=True)

    def word(self) -> None:
        self.set(
            "born",
            self.say("Has the baby been born?", "Has your baby been born?"),
            required=self.say("Select whether the baby has been born", "Select whether your baby has been born"),
        )


class BabyForm(PublicForm):
    given_name = text("First name", max_length=100, autocomplete="off")
    family_name = text("Last name", max_length=100, autocomplete="off")
    date_of_birth = fields.DateField(label="Date of birth")
    nhs_number = text(
        "NHS number (optional)",
        max_length=20,
        required=False,
        classes="nhsuk-input--width-10",
        inputmode="numeric",
        spellcheck=False,
        autocomplete="off",
    )

    def __init__(self, *args: Any, rules: Rules | None = None, **kwargs: Any) -> None:
        self.rules = rules or Rules()
        super().__init__(*args, **kwargs)

    def word(self) -> None:
        self.title = self.say("About the baby", "About your baby")
        baby = self.say("the baby's", "your baby's")
        self.set("given_name", required=f"Enter {baby} first name")
        self.set("family_name", required=f"Enter {baby} last name")
        self.set("date_of_birth", hint=example_date(-120), required=f"Enter {baby} date of birth")
        self.set(
            "nhs_number",
            hint=self.say(
                "If you know it. It is 10 digits, like 943 476 5919",
                "If you know it. It is 10 digits, like 943 476 5919. You can find it in your baby's red book",
            ),
        )

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        problem = age_problem(self.rules, born=born, due=None, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return born

    def clean_nhs_number(self) -> str:
        value: str = self.cleaned_data["nhs_number"]
        # Letters are a typing mistake, not something to quietly drop.
        if value and (re.search(r"[^0-9\s-]", value) or not is_valid_nhs_number(value)):
            raise forms.ValidationError("Enter a valid NHS number. It is 10 digits, like 943 476 5919")
        return normalise_nhs_number(value)

    def summary(self) -> list[tuple[str, str, str]]:
        rows = super().summary()
        number = self.cleaned_data.get("nhs_number")
        return [
            (label, (nhs_number(number) if number else "Not known") if label.startswith("NHS number") else value, id_)
            for label, value, id_ in rows
        ]


class UnbornBabyForm(PublicForm):
    expected_due_date = fields.DateField(label="Due date")
    family_name = text("Baby's last name (optional)", max_length=100, required=False, autocomplete="off")

    def __init__(self, *args: Any, rules: Rules | None = None, **kwargs: Any) -> None:
        self.rules = rules or Rules()
        super().__init__(*args, **kwargs)

    def word(self) -> None:
        self.title = self.say("About the baby", "About your baby")
        self.set(
            "expected_due_date",
            hint=example_date(120),
            required=self.say("Enter the baby's due date", "Enter your baby's due date"),
        )
        self.set("family_name", hint="If it is known")

    def clean_expected_due_date(self) -> date:
        due: date = self.cleaned_data["expected_due_date"]
        problem = age_problem(self.rules, born=None, due=due, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return due


class CarerForm(PublicForm):
    """Who a parent or carer is. How to reach them is the next page."""

    given_name = text("First name", max_length=100)
    family_name = text("Last name", max_length=100)
    relationship = fields.ChoiceField(choices=Relationship.choices)
    parental_responsibility = fields.ChoiceField(
        choices=ParentalResponsibility.choices,
        hint="Birth mothers always have it. Most fathers and adoptive parents have it too.",
    )
    date_of_birth = fields.DateField(label="Date of birth (optional)", required=False, hint="For example, 27 3 1995")

    def __init__(self, *args: Any, second: bool = False, **kwargs: Any) -> None:
        self.second = second
        super().__init__(*args, **kwargs)

    @property
    def you(self) -> bool:
        """Whether the person filling the form in is this carer."""
        return self.for_parent and not self.second

    def word(self) -> None:
        if self.second:
            self.title = "About the other parent or carer"
        else:
            self.title = self.say("About the baby's main parent or carer", "About you")
        self.summary_labels = {
            "relationship": "Relationship to the baby",
            "parental_responsibility": "Parental responsibility",
        }
        their = "your" if self.you else "their"
        self.set("given_name", required=f"Enter {their} first name")
        self.set("family_name", required=f"Enter {their} last name")
        self.set(
            "relationship",
            "What is your relationship to the baby?" if self.you else "What is their relationship to the baby?",
            required=f"Select {their} relationship to the baby",
        )
        self.set(
            "parental_responsibility",
            "Do you have parental responsibility for the baby?"
            if self.you
            else "Do they have parental responsibility for the baby?",
            required="Select whether you have parental responsibility"
            if self.you
            else "Select whether they have parental responsibility",
        )
        if not self.you:
            for name in ("given_name", "family_name"):
                self.fields[name].autocomplete = "off"  # type: ignore[attr-defined]
        else:
            self.fields["given_name"].autocomplete = "given-name"  # type: ignore[attr-defined]
            self.fields["family_name"].autocomplete = "family-name"  # type: ignore[attr-defined]

    def clean_date_of_birth(self) -> date | None:
        born: date | None = self.cleaned_data.get("date_of_birth")
        if born is not None and born >= timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past")
        return born


class ContactForm(PublicForm):
    """How to reach a parent or carer safely. A safe-contact answer always wins: the team will
    never text a phone, or email an inbox, that someone else may see."""

    phone = text("Phone number (optional)", max_length=20, required=False, classes="nhsuk-input--width-20")
    phone_is_safe = yes_no("Is it safe to send text messages to this phone or leave messages on it?", required=False)
    email = fields.EmailField(label="Email address (optional)", max_length=254, required=False)
    email_is_safe = yes_no("Is it safe to email them?", required=False)
    contact_preference = fields.ChoiceField(choices=ContactPreference.choices)
    safe_contact_note = long_text(
        "Anything the team should know to contact them safely (optional)",
        max_length=500,
        rows=3,
        hint='For example, "do not leave messages on the shared phone"',
    )

    def __init__(self, *args: Any, second: bool = False, allow_no_contact: bool = True, **kwargs: Any) -> None:
        self.second = second
        self.allow_no_contact = allow_no_contact
        super().__init__(*args, **kwargs)

    @property
    def you(self) -> bool:
        return self.for_parent and not self.second

    def word(self) -> None:
        you = self.you
        if self.second:
            self.title = "How to contact the other parent or carer"
        else:
            self.title = self.say("How to contact the main parent or carer", "How we can contact you")
        field = self.fields["phone"]
        assert isinstance(field, fields.CharField)
        field.input_type = "tel"
        field.autocomplete = "tel" if you else "off"
        email = self.fields["email"]
        assert isinstance(email, fields.EmailField)
        email.autocomplete = "email" if you else "off"
        self.set(
            "phone_is_safe",
            "Is it safe for us to send text messages to this phone or leave messages on it?"
            if you
            else "Is it safe to send text messages to this phone or leave messages on it?",
            hint="Say no if someone else uses or checks this phone, or if a message could put "
            + ("you" if you else "them")
            + " at risk",
        )
        self.set(
            "email_is_safe",
            "Is it safe for us to email you?" if you else "Is it safe to email them?",
            hint="Say no if someone else can read this inbox",
        )
        if not self.allow_no_contact:
            self.fields["contact_preference"].choices = [  # type: ignore[attr-defined]
                choice for choice in ContactPreference.choices if choice[0] != ContactPreference.NONE
            ]
        self.set(
            "contact_preference",
            "How would you like us to contact you?" if you else "How do they prefer to be contacted?",
            required="Select how you would like us to contact you" if you else "Select how they prefer to be contacted",
        )
        self.set(
            "safe_contact_note",
            "Anything we should know to contact you safely (optional)"
            if you
            else "Anything the team should know to contact them safely (optional)",
        )

    summary_labels = {
        "phone_is_safe": "Safe to text or leave messages",
        "email_is_safe": "Safe to email",
        "contact_preference": "Contact by",
        "safe_contact_note": "Contacting safely",
    }

    def summarised(self) -> list[str]:
        # Whether a phone or inbox is safe only matters when there is one.
        return [
            name
            for name in super().summarised()
            if not (name == "phone_is_safe" and not self.cleaned_data.get("phone"))
            and not (name == "email_is_safe" and not self.cleaned_data.get("email"))
        ]

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        you = self.you
        them = "you" if you else "them"
        phone, email = cleaned.get("phone"), cleaned.get("email")
        preference = cleaned.get("contact_preference")
        if phone and not cleaned.get("phone_is_safe"):
            self.add_error(
                "phone_is_safe", "Select whether it is safe to send text messages to this phone or leave messages on it"
            )
        if email and not cleaned.get("email_is_safe"):
            self.add_error("email_is_safe", f"Select whether it is safe to email {them}")
        if preference is None or "phone" in self.errors or "email" in self.errors:
            return cleaned
        if preference != ContactPreference.NONE and not phone and not email:
            no_contact = "" if not self.allow_no_contact else ", or select 'Do not contact directly'"
            self.add_error("phone", f"Enter a phone number or an email address{no_contact}")
        elif preference in (ContactPreference.SMS, ContactPreference.PHONE) and not phone:
            self.add_error("phone", f"Enter a phone number, or select another way to contact {them}")
        elif preference == ContactPreference.EMAIL and not email:
            self.add_error("email", f"Enter an email address, or select another way to contact {them}")
        elif preference == ContactPreference.SMS and cleaned.get("phone_is_safe") == "no":
            self.add_error(
                "contact_preference",
                f"It is not safe to send text messages to this phone. Select another way to contact {them}",
            )
        elif preference == ContactPreference.EMAIL and cleaned.get("email_is_safe") == "no":
            self.add_error(
                "contact_preference", f"It is not safe to email {them}. Select another way to contact {them}"
            )
        return cleaned


class AnotherCarerForm(PublicForm):
    question = "another"
    summary_labels = {"another": "Another parent or carer"}
    another = yes_no("Is there another parent or carer?")

    def word(self) -> None:
        self.set(
            "another",
            hint=self.say(
                "For example, the baby's other parent or a partner who helps care for the baby",
                "For example, your baby's other parent or a partner who helps care for your baby",
            ),
            required="Select whether there is another parent or carer",
        )


class AddressForm(PublicForm):
    address_line_1 = text("Address line 1", max_length=200)
    address_line_2 = text("Address line 2 (optional)", max_length=200, required=False)
    town = text("Town or city", max_length=100, classes="nhsuk-u-width-two-thirds")

    def __init__(self, *args: Any, postcode: str = "", **kwargs: Any) -> None:
        self.postcode = postcode
        super().__init__(*args, **kwargs)

    def word(self) -> None:
        self.title = self.say("The family's address", "Your address")
        self.set("address_line_1", required="Enter address line 1, typically the building and street")
        self.set("town", required="Enter town or city")
        for name, purpose in (("address_line_1", "address-line1"), ("address_line_2", "address-line2")):
            self.fields[name].autocomplete = purpose if self.for_parent else "off"  # type: ignore[attr-defined]
        self.fields["town"].autocomplete = "address-level2" if self.for_parent else "off"  # type: ignore[attr-defined]

    def summary(self) -> list[tuple[str, str, str]]:
        lines = [self.cleaned_data[name] for name in ("address_line_1", "address_line_2", "town")]
        return [("Address", "\n".join(line for line in lines if line), self["address_line_1"].id_for_label)]
