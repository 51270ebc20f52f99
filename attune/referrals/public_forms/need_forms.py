"""The pages about what the family needs: background, other professionals, why they are being
referred, the stresses they live with, and safeguarding."""

from django import forms

from attune.families.codes import (
    EthnicCategory,
    SafeguardingKind,
)
from attune.nhsuk_forms import fields
from attune.referrals.codes import STRESS_GROUPS, Stress, StressGroup
from attune.referrals.public_forms.questions import (
    FIELD_TEMPLATES,
    NONE_KNOWN,
    REASON_MAX_LENGTH,
    PublicForm,
    long_text,
    text,
    too_long,
    yes_no,
)


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
            max_length=too_long(self.say("Reason for referral", "Why you would like support"), REASON_MAX_LENGTH),
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
