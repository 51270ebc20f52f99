"""The pages about who refers and their consent: the professional and their role (a national
source of referral code), the service they want, and each kind of referrer's consent."""

from django import forms

from attune.nhsuk_forms import fields
from attune.referrals.codes import PROFESSIONAL_SOURCES, ReferralSource
from attune.referrals.public_forms.questions import PublicForm, clean_phone, text, too_long, yes_no

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
            "max_length": too_long("Work email address", 254),
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
        return clean_phone(self.cleaned_data["phone"])


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
