"""The two flows through the pages, a professional's and a parent's own: which page follows
which, and which pages are asked only when an earlier answer needs them."""

from collections.abc import Callable
from typing import Any

from attune.referrals import wizard
from attune.referrals.eligibility import Rules
from attune.referrals.public_forms.family_forms import (
    AddressForm,
    AnotherCarerForm,
    BabyForm,
    BornForm,
    CarerForm,
    ContactForm,
    IsParentForm,
    PostcodeForm,
    UnbornBabyForm,
)
from attune.referrals.public_forms.need_forms import (
    BackgroundForm,
    ProfessionalsForm,
    ReasonForm,
    SafeguardingForm,
    StressesForm,
)
from attune.referrals.public_forms.questions import PublicForm
from attune.referrals.public_forms.referrer_forms import (
    OTHER_ROLE,
    ParentConsentForm,
    ProfessionalConsentForm,
    ReferrerForm,
    ServiceForm,
)
from attune.referrals.services import rules_for

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
