"""The public referral forms: a professional referring a family, or a parent referring
themselves. One question or one topic per page; the same pages serve both, worded for whoever
is filling them in ("the baby's" for a professional, "your baby's" for a parent).

The look-ups the public pages need (which council and team cover a postcode, what the service
covers) are here too, so the view module reaches no model directly.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from attune.core.formatting import date_long, nhs_number
from attune.core.validators import is_valid_nhs_number, is_valid_postcode, normalise_nhs_number, normalise_postcode
from attune.families.codes import (
    ContactPreference,
    EthnicCategory,
    ParentalResponsibility,
    Relationship,
    SafeguardingKind,
)
from attune.families.services import NewCarer, NewFamily, NewInfant
from attune.nhsuk_forms import fields
from attune.notifications.models import MessageStatus
from attune.notifications.services import messages_about
from attune.organisations.areas import local_authority_for
from attune.organisations.models import Team
from attune.referrals import wizard
from attune.referrals.codes import PROFESSIONAL_SOURCES, STRESS_GROUPS, ReferralSource, Stress, StressGroup
from attune.referrals.eligibility import Rules, age_problem
from attune.referrals.models import EligibilityRules, Referral, ReferralKind
from attune.referrals.services import Intake, Referrer, rules_for, team_covering

YES_NO = [("yes", "Yes"), ("no", "No")]
NOT_GIVEN = "Not given"
FIELD_TEMPLATES = "referrals/public/fields"
REASON_MAX_LENGTH = 5000
NONE_KNOWN = "none"

# A phone number as people write it: digits with spaces, dashes or brackets, maybe +44.
_PHONE = re.compile(r"^\+?[0-9]{10,13}$")
PHONE_ERROR = "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"


# Look-ups for the public pages ---------------------------------------------------------------


def covered_area_names() -> list[str]:
    """Every council area a team takes referrals from, by name."""
    names = EligibilityRules.objects.exclude(areas=None).values_list("areas__name", flat=True)
    return sorted({name for name in names if name})


def in_words(names: list[str]) -> str:
    """['A', 'B', 'C'] -> 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}" if names else ""


def not_covered_message() -> str:
    areas = covered_area_names()
    covers = f". This service covers {in_words(areas)}" if areas else ""
    return f"We cannot accept referrals for this postcode{covers}"


def triage_target_days(team: Team) -> int:
    rules = EligibilityRules.objects.filter(team=team).first()
    default: int = EligibilityRules._meta.get_field("triage_target_working_days").default
    return rules.triage_target_working_days if rules else default


@dataclass(frozen=True)
class TeamOffer:
    name: str
    is_satellite: bool
    areas: list[str]

    @property
    def areas_text(self) -> str:
        return in_words(self.areas)


@dataclass(frozen=True)
class FrontDoor:
    """What the start page says about the service: its name, its teams, who it sees."""

    service_names: list[str]
    teams: list[TeamOffer]
    max_age_years: int
    accepts_unborn: bool
    triage_target_days: int

    @property
    def areas(self) -> str:
        return in_words(sorted({area for team in self.teams for area in team.areas}))

    @property
    def upper_birthday(self) -> str:
        """'5th': children are seen until this birthday."""
        n = self.max_age_years
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"


def front_door() -> FrontDoor:
    rules = list(
        EligibilityRules.objects.select_related("team__service").prefetch_related("areas").order_by("team__name")
    )
    return FrontDoor(
        service_names=sorted({r.team.service.name for r in rules}),
        teams=[
            TeamOffer(r.team.name, r.team.kind == "satellite", sorted(area.name for area in r.areas.all()))
            for r in rules
        ],
        max_age_years=max((r.max_age_years for r in rules), default=5),
        accepts_unborn=any(r.accepts_unborn for r in rules) or not rules,
        triage_target_days=max((r.triage_target_working_days for r in rules), default=5),
    )


# Fields ------------------------------------------------------------------------------------


def _limit(label: str, max_length: int) -> str:
    return f"{label} must be {max_length:,} characters or fewer"


def text(
    label: str, *, max_length: int, required: bool = True, required_message: str = "", **kwargs: Any
) -> fields.CharField:
    return fields.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={"required": required_message, "max_length": _limit(label, max_length)},
        **kwargs,
    )


def long_text(label: str, *, max_length: int, required: bool = False, **kwargs: Any) -> fields.TextareaField:
    return fields.TextareaField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={"max_length": _limit(label, max_length)},
        **kwargs,
    )


def yes_no(label: str, *, required: bool = True, **kwargs: Any) -> fields.ChoiceField:
    return fields.ChoiceField(label=label, choices=YES_NO, required=required, inline=True, **kwargs)


def _clean_phone(value: str) -> str:
    value = value.strip()
    if value and not _PHONE.match(re.sub(r"[\s\-()]", "", value)):
        raise forms.ValidationError(PHONE_ERROR)
    return value


def example_date(days_from_today: int) -> str:
    """A hint for a date input, in the form it is typed: 'For example, 15 3 2026'."""
    day = timezone.localdate() + timedelta(days=days_from_today)
    return f"For example, {day.day} {day.month} {day.year}"


def describe(field: forms.Field, value: Any) -> str:
    """How an answer reads on the check-your-answers page."""
    if isinstance(value, date):
        return date_long(value)
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return "\n".join(str(choices.get(v, v)) for v in value) or "None selected"
    if choices and value not in (None, ""):
        return str(choices.get(value, value))
    return str(value) if value not in (None, "") else NOT_GIVEN


# The pages -----------------------------------------------------------------------------------


class PublicForm(forms.Form):
    """A page of a public referral form. `for_parent` words it for a parent referring
    themselves; otherwise for a professional referring a family."""

    # The page's heading, when it is not the label of its one question.
    title = ""
    # The field whose label is the page heading (a one-question page).
    question = ""
    # Paragraphs under the heading.
    intro: tuple[str, ...] = ()
    # Fields left off the check-your-answers page.
    not_summarised: tuple[str, ...] = ()
    # Shorter labels for the check-your-answers page than the questions ("Interpreter needed").
    summary_labels: dict[str, str] = {}

    def __init__(self, *args: Any, for_parent: bool = False, **kwargs: Any) -> None:
        self.for_parent = for_parent
        super().__init__(*args, **kwargs)
        self.word()
        if self.question:
            field = self.fields[self.question]
            assert isinstance(field, fields.NhsukField)
            field.label_is_page_heading = True
            field.label_classes = "nhsuk-label--l" if isinstance(field, fields.CharField | fields.TextareaField) else ""

    def say(self, professional: str, parent: str) -> str:
        return parent if self.for_parent else professional

    def word(self) -> None:
        """Set labels, hints and messages for whoever is filling the form in."""

    def set(self, name: str, label: str = "", *, hint: str | None = None, **messages: str) -> None:
        field = self.fields[name]
        if label:
            field.label = label
        if hint is not None:
            assert isinstance(field, fields.NhsukField)
            field.hint = hint
        field.error_messages.update(messages)

    @property
    def page_title(self) -> str:
        return str(self.fields[self.question].label) if self.question else self.title

    def page_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields]

    def summarised(self) -> list[str]:
        """The fields shown on the check-your-answers page."""
        return [name for name in self.fields if name not in self.not_summarised]

    def summary(self) -> list[tuple[str, str, str]]:
        """(label, answer, field id) for each answer, for the check-your-answers page."""
        return [
            (
                self.summary_labels.get(name) or str(self.fields[name].label).removesuffix(" (optional)"),
                describe(self.fields[name], self.cleaned_data.get(name)),
                self[name].id_for_label,
            )
            for name in self.summarised()
        ]


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
        return _clean_phone(self.cleaned_data["phone"])

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


class BackgroundForm(PublicForm):
    language = text(
        "Preferred language (optional)",
        max_length=100,
        required=False,
        hint="For example, English, Urdu or Polish",
        classes="nhsuk-u-width-two-thirds",
    )
    interpreter_needed = yes_no("Is an interpreter needed?")
    infant_ethnicity = fields.SelectField(choices=EthnicCategory.choices, initial=EthnicCategory.NOT_KNOWN)
    carer_ethnicity = fields.SelectField(choices=EthnicCategory.choices, initial=EthnicCategory.NOT_KNOWN)

    def word(self) -> None:
        self.title = self.say("The family's language and ethnic group", "Your language and ethnic group")
        self.intro = (
            "We ask about ethnic group to check that our service is fair to everyone. "
            + self.say(
                "Select 'Not known' if the family has not told you.",
                "Select 'Not stated' if you would rather not say.",
            ),
        )
        self.set(
            "language",
            self.say(
                "Which language does the family prefer to use? (optional)",
                "Which language do you prefer to use? (optional)",
            ),
        )
        self.set(
            "interpreter_needed",
            self.say("Does the family need an interpreter?", "Do you need an interpreter?"),
            required=self.say(
                "Select whether the family needs an interpreter", "Select whether you need an interpreter"
            ),
        )
        self.set("infant_ethnicity", self.say("The baby's ethnic group", "Your baby's ethnic group"))
        self.set(
            "carer_ethnicity",
            self.say("The main parent or carer's ethnic group", "Your ethnic group"),
        )
        for name in ("infant_ethnicity", "carer_ethnicity"):
            self.fields[name].error_messages["required"] = "Select an ethnic group, or 'Not known'"
        self.summary_labels = {
            "language": "Preferred language",
            "interpreter_needed": "Interpreter needed",
            "infant_ethnicity": self.say("Baby's ethnic group", "Your baby's ethnic group"),
            "carer_ethnicity": self.say("Main parent or carer's ethnic group", "Your ethnic group"),
        }


class ProfessionalsForm(PublicForm):
    gp_practice = text("GP surgery (optional)", max_length=200, required=False)
    other_professionals = long_text("Other professionals involved (optional)", max_length=2000, rows=4)
    summary_labels = {"other_professionals": "Other professionals"}

    def word(self) -> None:
        self.title = self.say("The family's GP and other professionals", "Your GP and other professionals")
        self.set(
            "gp_practice",
            hint=self.say(
                "The name of the surgery the family is registered with, and the town",
                "The name of the surgery you are registered with, and the town",
            ),
        )
        self.set(
            "other_professionals",
            self.say("Other professionals involved (optional)", "Other people who support your family (optional)"),
            hint=self.say(
                "For example, a social worker, perinatal mental health team or family support worker. "
                "Include names and contact details if you have them.",
                "For example, your health visitor, midwife, family hub worker or social worker",
            ),
        )


class ReasonForm(PublicForm):
    question = "reason"
    reason = fields.TextareaField(
        max_length=REASON_MAX_LENGTH,
        rows=8,
        template_name=f"{FIELD_TEMPLATES}/character_count.jinja",
    )

    def word(self) -> None:
        self.set(
            "reason",
            self.say("Why are you referring this family?", "Why would you like support?"),
            hint=self.say(
                "In your own words: what you have noticed about the parent and baby together, and what the "
                "family would like help with",
                "In your own words. For example, how you are feeling, and how things are between you and your baby",
            ),
            required=self.say("Enter why you are referring this family", "Enter why you would like support"),
            max_length=_limit(self.say("Reason for referral", "Why you would like support"), REASON_MAX_LENGTH),
        )
        self.summary_labels = {"reason": self.say("Reason", "In your words")}


def _stress_field(group: StressGroup) -> fields.MultipleChoiceField:
    return fields.MultipleChoiceField(
        label=group.label,
        choices=[(stress.value, stress.label) for stress in STRESS_GROUPS[group]],
        required=False,
        label_classes="nhsuk-fieldset__legend--m",
    )


# The stresses a parent reads about themselves, where the team's words are about "the parent".
PARENT_STRESS_LABELS: dict[Stress, str] = {
    Stress.PARENTAL_MENTAL_HEALTH: "Feeling low or anxious, or other mental health problems",
    Stress.ACES: "Difficult experiences in your own childhood",
    Stress.CARE_EXPERIENCED: "You were in care as a child",
    Stress.BONDING: "Finding it hard to bond with or feel close to your baby",
    Stress.RELATIONSHIP_CONCERNS: "Worries about how things are between you and your baby",
    Stress.YOUNG_PARENT: "You are under 20",
}


class StressesForm(PublicForm):
    """PIP UK's four groups of stresses on the relationship. All optional."""

    stresses_infant = _stress_field(StressGroup.INFANT)
    stresses_parent = _stress_field(StressGroup.PARENT)
    stresses_interaction = _stress_field(StressGroup.INTERACTION)
    stresses_circumstances = _stress_field(StressGroup.CIRCUMSTANCES)

    def word(self) -> None:
        self.title = self.say(
            "What is putting stress on the relationship between parent and baby?",
            "What is making things harder for you and your baby?",
        )
        self.intro = (self.say("Select any that apply.", "Select any that apply. You do not have to select any."),)
        if self.for_parent:
            self.set("stresses_parent", "You: your history and wellbeing")
            self.set("stresses_interaction", "You and your baby together")
            self.set("stresses_circumstances", "Your family's circumstances")
            self.set("stresses_infant", "Your baby")
            for group in StressGroup:
                field = self.fields[f"stresses_{group.value}"]
                assert isinstance(field, fields.MultipleChoiceField)
                field.choices = [
                    (stress.value, PARENT_STRESS_LABELS.get(stress, stress.label)) for stress in STRESS_GROUPS[group]
                ]

    def summary(self) -> list[tuple[str, str, str]]:
        # Only the groups with something selected, or one row saying there is nothing.
        rows = [row for row in super().summary() if self.cleaned_data.get(self._name_of(row[2]))]
        first = self["stresses_infant"].id_for_label
        return rows or [(self.say("Stresses", "What makes things harder"), "None selected", first)]

    def _name_of(self, field_id: str) -> str:
        return next(name for name in self.fields if self[name].id_for_label == field_id)

    def stresses(self) -> list[str]:
        return [value for group in StressGroup for value in self.cleaned_data.get(f"stresses_{group.value}", [])]


class SafeguardingForm(PublicForm):
    question = "safeguarding"
    safeguarding = fields.MultipleChoiceField(
        choices=[*SafeguardingKind.choices, (NONE_KNOWN, "None known")],
        template_name=f"{FIELD_TEMPLATES}/checkboxes_exclusive.jinja",
    )

    def word(self) -> None:
        field = self.fields["safeguarding"]
        assert isinstance(field, fields.MultipleChoiceField)
        if self.for_parent:
            field.choices = [*SafeguardingKind.choices, (NONE_KNOWN, "None of these")]
        self.set(
            "safeguarding",
            self.say("What safeguarding involvement do you know of?", "Does your family have any of these?"),
            hint=self.say(
                "Select all that apply",
                "Select all that apply. This will not stop you getting support: it helps us work with "
                "the other people who support your family.",
            ),
            required=self.say(
                "Select the safeguarding involvement you know of, or select 'None known'",
                "Select any that your family has, or select 'None of these'",
            ),
        )

    summary_labels = {"safeguarding": "Safeguarding"}

    def clean_safeguarding(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["safeguarding"]
        if NONE_KNOWN in chosen and len(chosen) > 1:
            none = self.say("None known", "None of these")
            raise forms.ValidationError(f"Select '{none}' or the options that apply, not both")
        return chosen

    def kinds(self) -> list[str]:
        return [kind for kind in self.cleaned_data["safeguarding"] if kind != NONE_KNOWN]


# The radios a professional picks their role from, each a national source of referral code;
# "Another professional" leads to a page with the rest of the list.
OTHER_ROLE = "other"
ROLES = [
    (ReferralSource.HEALTH_VISITOR.value, "Health visitor"),
    (ReferralSource.MATERNITY.value, "Midwife"),
    (ReferralSource.GP.value, "GP"),
    (ReferralSource.OTHER_SERVICE.value, "Family hub or early years worker"),
    (ReferralSource.SOCIAL_SERVICES.value, "Social worker"),
    (OTHER_ROLE, "Another professional"),
]
OTHER_SOURCES = [(source.value, source.label) for source in PROFESSIONAL_SOURCES if source.value not in dict(ROLES)]


class ReferrerForm(PublicForm):
    """About the professional referring (professional referrals only)."""

    title = "About you"
    name = text("Full name", max_length=200, required_message="Enter your full name", autocomplete="name")
    role = fields.ChoiceField(label="Your role", choices=ROLES, error_messages={"required": "Select your role"})
    organisation = text(
        "Organisation",
        max_length=200,
        required_message="Enter the name of your organisation",
        hint="For example, Blackpool health visiting team",
        autocomplete="organization",
    )
    email = fields.EmailField(
        label="Work email address",
        max_length=254,
        hint="We will send the acknowledgement and our decision to this address",
        error_messages={
            "required": "Enter your work email address",
            "max_length": _limit("Work email address", 254),
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    phone = text(
        "Work phone number (optional)",
        max_length=20,
        required=False,
        autocomplete="tel",
        classes="nhsuk-input--width-20",
    )

    def word(self) -> None:
        phone = self.fields["phone"]
        assert isinstance(phone, fields.CharField)
        phone.input_type = "tel"

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])


class ServiceForm(PublicForm):
    """Which service "another professional" works for: its national source of referral code.
    A page of its own rather than a list revealed under the radio, which would need ARIA that
    radios do not support."""

    question = "source"
    source = fields.SelectField(
        label="Which kind of service do you work for?",
        choices=[("", "Select a kind of service"), *OTHER_SOURCES],
        error_messages={"required": "Select the kind of service you work for"},
    )
    summary_labels = {"source": "Kind of service"}


class ProfessionalConsentForm(PublicForm):
    question = "consent"
    consent = yes_no(
        "Has the family agreed to this referral?",
        hint="They should know what the service is, and that the team will contact them",
        error_messages={"required": "Select whether the family has agreed to this referral"},
    )
    summary_labels = {"consent": "Family agreed to the referral"}

    def clean_consent(self) -> str:
        value: str = self.cleaned_data["consent"]
        if value != "yes":
            raise forms.ValidationError(
                "You need the family's agreement before you refer. Talk to them first, then come back."
            )
        return value


class ParentConsentForm(PublicForm):
    title = "Agreeing to the referral"
    intro = (
        "The team will read your referral and may contact you, by the way you chose, to talk about it.",
        "Only the team and the people who look after their records can see what you tell us.",
    )
    agree = fields.MultipleChoiceField(
        label="Your agreement",
        choices=[("yes", "I agree to the team contacting me and looking at my referral")],
        error_messages={"required": "Confirm that you agree to the team contacting you and looking at your referral"},
    )

    def summary(self) -> list[tuple[str, str, str]]:
        return [
            (
                "Agreement",
                "You agree to the team contacting you and looking at your referral",
                self["agree"].id_for_label,
            )
        ]


# The two flows -------------------------------------------------------------------------------

NAMESPACE = "refer"
PROFESSIONAL = "professional"
SELF = "self"
STEP_TEMPLATE = "referrals/public/step.jinja"


def _born(state: wizard.FlowState) -> bool:
    return bool(state.value("born", "born") == "yes")


def _unborn(state: wizard.FlowState) -> bool:
    return bool(state.value("born", "born") == "no")


def _another(state: wizard.FlowState) -> bool:
    return bool(state.value("another-carer", "another") == "yes")


def _other_role(state: wizard.FlowState) -> bool:
    return bool(state.value("about-you", "role") == OTHER_ROLE)


def _rules(state: wizard.FlowState) -> Rules:
    """The age rules of the team that covers the postcode given."""
    team = state.value("postcode", "team")
    return rules_for(team) if team is not None else Rules()


def _kwargs(for_parent: bool, **extra: Any) -> Callable[[wizard.FlowState], dict[str, Any]]:
    """Form arguments: the wording, and any values (or functions of the answers so far)."""

    def make(state: wizard.FlowState) -> dict[str, Any]:
        values = {name: value(state) if callable(value) else value for name, value in extra.items()}
        return {"for_parent": for_parent, **values}

    return make


def _steps(for_parent: bool) -> tuple[wizard.Step, ...]:
    def step(slug: str, form_class: type[PublicForm], section: str, **options: Any) -> wizard.Step:
        condition = options.pop("condition", None)
        template = options.pop("template", STEP_TEMPLATE)
        return wizard.Step(slug, form_class, section, condition, _kwargs(for_parent, **options), template)

    def say(professional: str, parent: str) -> str:
        return parent if for_parent else professional

    where = say("Where the family lives", "Where you live")
    baby = say("The baby", "Your baby")
    main = say("Main parent or carer", "About you")
    other = "Other parent or carer"
    reason = say("Reason for referral", "Why you would like support")
    return tuple(
        s
        for s in (
            step("postcode", PostcodeForm, where),
            step("are-you-the-parent", IsParentForm, main) if for_parent else None,
            step("born", BornForm, baby),
            step("baby", BabyForm, baby, condition=_born, rules=_rules),
            step("unborn-baby", UnbornBabyForm, baby, condition=_unborn, rules=_rules),
            step("parent-or-carer", CarerForm, main),
            step("contact", ContactForm, main, allow_no_contact=not for_parent),
            step("another-carer", AnotherCarerForm, other),
            step("other-parent-or-carer", CarerForm, other, condition=_another, second=True),
            step("other-contact", ContactForm, other, condition=_another, second=True, allow_no_contact=not for_parent),
            step(
                "address",
                AddressForm,
                where,
                template="referrals/public/address.jinja",
                postcode=lambda state: state.value("postcode", "postcode", ""),
            ),
            step("language-and-ethnicity", BackgroundForm, "Language and ethnic group"),
            step("gp-and-professionals", ProfessionalsForm, "GP and other professionals"),
            step("reason", ReasonForm, reason),
            step("stresses", StressesForm, reason),
            step("safeguarding", SafeguardingForm, reason),
            None if for_parent else step("about-you", ReferrerForm, "About you"),
            None if for_parent else step("your-service", ServiceForm, "About you", condition=_other_role),
            step("agreement", ParentConsentForm if for_parent else ProfessionalConsentForm, "Agreement"),
        )
        if s is not None
    )


FLOWS = {
    PROFESSIONAL: wizard.Flow(PROFESSIONAL, NAMESPACE, _steps(for_parent=False), exit_url_name=f"{NAMESPACE}:start"),
    SELF: wizard.Flow(SELF, NAMESPACE, _steps(for_parent=True), exit_url_name=f"{NAMESPACE}:start"),
}


# From the answers to the intake --------------------------------------------------------------


class IncompleteAnswers(Exception):
    """A page that applies has no valid answers (the check page sends the person back to it)."""


def answered_forms(state: wizard.FlowState) -> dict[str, PublicForm]:
    """Every page that applies, validated now."""
    answered = {}
    for step in state.applicable():
        form = state.form(step)
        if not form.is_valid():
            raise IncompleteAnswers(step.slug)
        assert isinstance(form, PublicForm)
        answered[step.slug] = form
    return answered


def summary_rows(state: wizard.FlowState) -> list[wizard.Row]:
    def summarise(form: forms.Form) -> list[tuple[str, str, str]]:
        assert isinstance(form, PublicForm)
        return form.summary()

    return wizard.rows(state, summarise)


def _carer(who: dict[str, Any], contact: dict[str, Any], *, ethnicity: str, main: bool) -> NewCarer:
    return NewCarer(
        given_name=who["given_name"],
        family_name=who["family_name"],
        relationship=who["relationship"],
        parental_responsibility=who["parental_responsibility"],
        date_of_birth=who.get("date_of_birth"),
        phone=contact["phone"],
        email=contact["email"],
        contact_preference=contact["contact_preference"],
        # Only a clear "yes" makes a phone or inbox safe to use.
        phone_is_safe=contact.get("phone_is_safe") == "yes",
        email_is_safe=contact.get("email_is_safe") == "yes",
        safe_contact_note=contact["safe_contact_note"],
        ethnicity=ethnicity,
        is_main_contact=main,
    )


def intake_from(state: wizard.FlowState) -> Intake:
    """The referral as submit_referral takes it, with the check-your-answers rows as sent."""
    answered = answered_forms(state)
    data = {slug: form.cleaned_data for slug, form in answered.items()}
    for_parent = state.flow.name == SELF
    background = data["language-and-ethnicity"]
    if "baby" in data:
        baby = data["baby"]
        infant = NewInfant(
            given_name=baby["given_name"],
            family_name=baby["family_name"],
            date_of_birth=baby["date_of_birth"],
            nhs_number=baby["nhs_number"],
            ethnicity=background["infant_ethnicity"],
        )
    else:
        unborn = data["unborn-baby"]
        infant = NewInfant(
            family_name=unborn["family_name"],
            expected_due_date=unborn["expected_due_date"],
            ethnicity=background["infant_ethnicity"],
        )
    carers = [_carer(data["parent-or-carer"], data["contact"], ethnicity=background["carer_ethnicity"], main=True)]
    if "other-parent-or-carer" in data:
        carers.append(
            _carer(data["other-parent-or-carer"], data["other-contact"], ethnicity=EthnicCategory.NOT_KNOWN, main=False)
        )
    stresses = answered["stresses"]
    safeguarding = answered["safeguarding"]
    assert isinstance(stresses, StressesForm)
    assert isinstance(safeguarding, SafeguardingForm)
    address, place = data["address"], data["postcode"]
    family = NewFamily(
        team=place["team"],
        infants=[infant],
        carers=carers,
        address_line_1=address["address_line_1"],
        address_line_2=address["address_line_2"],
        town=address["town"],
        postcode=place["postcode"],
        local_authority=place["local_authority"],
        language=background["language"],
        interpreter_needed=background["interpreter_needed"] == "yes",
        gp_practice=data["gp-and-professionals"]["gp_practice"],
        safeguarding=safeguarding.kinds(),
    )
    if for_parent:
        main = data["parent-or-carer"]
        # The parent is the referrer; how to reach them safely is on their carer record only,
        # so the referrer fields hold no second copy of a phone or inbox that may be unsafe.
        referrer = Referrer(
            name=f"{main['given_name']} {main['family_name']}",
            role=str(Relationship(main["relationship"]).label),
        )
        source = (
            ReferralSource.SELF if data["are-you-the-parent"]["is_parent"] == "yes" else ReferralSource.CARER_RELATIVE
        )
    else:
        you = data["about-you"]
        if you["role"] == OTHER_ROLE:
            source = ReferralSource(data["your-service"]["source"])
            role = str(source.label)
        else:
            source, role = ReferralSource(you["role"]), dict(ROLES)[you["role"]]
        referrer = Referrer(
            name=you["name"], role=role, organisation=you["organisation"], email=you["email"], phone=you["phone"]
        )
    rows = summary_rows(state)
    return Intake(
        kind=ReferralKind.SELF if for_parent else ReferralKind.PROFESSIONAL,
        source=source.value,
        referrer=referrer,
        family=family,
        reason=data["reason"]["reason"],
        consent_given=True,
        stresses=stresses.stresses(),
        safeguarding_known=safeguarding.kinds(),
        other_professionals=data["gp-and-professionals"]["other_professionals"],
        submitted={
            "form": state.flow.name,
            "rows": [{"section": row.section, "label": row.label, "value": row.value} for row in rows],
        },
    )


@dataclass(frozen=True)
class Acknowledgement:
    """How the person who referred was told the referral arrived, in their words."""

    sent: bool
    channel: str
    to: str


def acknowledgement_of(referral: Referral) -> Acknowledgement:
    """The receipt message for the person who referred: the referrer's email for a
    professional, the parent's safe route for a self-referral."""
    template = "referral_received_family" if referral.kind == ReferralKind.SELF else "referral_received_referrer"
    message = next((m for m in messages_about(referral) if m.template == template), None)
    if message is None or message.status == MessageStatus.WITHHELD:
        return Acknowledgement(sent=False, channel="", to="")
    return Acknowledgement(sent=True, channel=message.channel, to=message.to)
