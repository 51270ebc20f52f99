"""From the answers to what submit_referral takes: the forms as answered, the check-your-answers
rows, and the intake record."""

from typing import Any

from django import forms

from attune.families.codes import (
    EthnicCategory,
    Relationship,
)
from attune.families.services import NewCarer, NewFamily, NewInfant
from attune.referrals import wizard
from attune.referrals.codes import ReferralSource
from attune.referrals.models import ReferralKind
from attune.referrals.public_forms.flow import SELF
from attune.referrals.public_forms.need_forms import SafeguardingForm, StressesForm
from attune.referrals.public_forms.questions import PublicForm
from attune.referrals.public_forms.referrer_forms import OTHER_ROLE, ROLES
from attune.referrals.services import Intake, Referrer


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
