"""Set-up forms: what a system administrator types to set up organisations, services, teams and
sites. Codes and postcodes are checked for form here; the rules between records (a team name
used twice in a service, a satellite's hub) are the actions' (services.SetUpError)."""

from typing import Any

from django import forms

from attune.core.validators import (
    is_valid_icb_ods_code,
    is_valid_ons_area_code,
    is_valid_postcode,
    is_valid_trust_ods_code,
    normalise_code,
)
from attune.nhsuk_forms import fields
from attune.organisations.models import Organisation, OrganisationKind, Service, SiteKind, Team, TeamKind

# The kinds an administrator may create, in the words of the page (a council is a local authority).
KIND_CHOICES = [
    (OrganisationKind.NHS_TRUST.value, "NHS trust"),
    (OrganisationKind.ICB.value, "Integrated care board (ICB)"),
    (OrganisationKind.LOCAL_AUTHORITY.value, "Council"),
]

CODE_RULES = {
    OrganisationKind.NHS_TRUST: (
        is_valid_trust_ods_code,
        "Enter the trust's ODS code: 3 letters or numbers starting with R or T, like RXL",
    ),
    OrganisationKind.ICB: (
        is_valid_icb_ods_code,
        "Enter the ICB's ODS code: 3 letters or numbers starting with Q, like QE1",
    ),
    OrganisationKind.LOCAL_AUTHORITY: (
        is_valid_ons_area_code,
        "Enter the council's ONS code: a letter and 8 numbers, like E06000009",
    ),
}


def code_problem(kind: OrganisationKind, code: str) -> str:
    """The error message for a code that is not the shape of this kind's, else ''."""
    valid, message = CODE_RULES[kind]
    return "" if valid(code) else message


def _choices(objects: Any, label: Any = str) -> list[tuple[str, str]]:
    return [(str(o.pk), label(o)) for o in objects]


class OrganisationForm(forms.Form):
    kind = fields.ChoiceField(
        label="What kind of organisation is it?",
        choices=KIND_CHOICES,
        error_messages={"required": "Select what kind of organisation it is"},
    )
    name = fields.CharField(
        label="Name",
        hint="As the organisation writes it, like Lancashire and South Cumbria Integrated Care Board",
        max_length=200,
        error_messages={
            "required": "Enter the organisation's name",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    code = fields.CharField(
        label="Code",
        hint="The ODS code for an NHS trust or ICB (like RXL or QE1), the ONS code for a council (like E06000009)",
        max_length=12,
        classes="nhsuk-input--width-10",
        spellcheck=False,
        error_messages={
            "required": "Enter the organisation's code",
            "max_length": "Code must be 12 characters or fewer",
        },
    )

    def __init__(self, *args: Any, kind: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_kind = kind
        if kind is not None:  # the kind of an organisation that exists does not change
            del self.fields["kind"]

    def clean_code(self) -> str:
        return normalise_code(self.cleaned_data["code"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = self.fixed_kind or cleaned.get("kind")
        code = cleaned.get("code")
        if kind and code:
            problem = code_problem(OrganisationKind(kind), code)
            if problem:
                self.add_error("code", problem)
        return cleaned


class ServiceForm(forms.Form):
    name = fields.CharField(
        label="Name of the service",
        hint="Like Blackpool Parent Infant Relationship Service",
        max_length=200,
        error_messages={
            "required": "Enter the name of the service",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    provider = fields.SelectField(
        label="Provider", choices=[], error_messages={"required": "Select the trust that provides the service"}
    )
    commissioner = fields.SelectField(
        label="Commissioner",
        hint="The ICB or council that pays for the service. Add it under Organisations first if it is not here.",
        choices=[],
        error_messages={
            "required": "Select the ICB or council that commissions the service",
            "invalid_choice": "Select the ICB or council that commissions the service",
        },
    )

    def __init__(
        self, *args: Any, providers: list[Organisation], commissioners: list[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.providers = {str(o.pk): o for o in providers}
        self.commissioners = {str(o.pk): o for o in commissioners}
        provider_field: Any = self.fields["provider"]
        commissioner_field: Any = self.fields["commissioner"]
        provider_field.choices = _choices(providers)
        commissioner_field.choices = [("", "Select a commissioner"), *_choices(commissioners)]
        if len(providers) <= 1:  # an administrator of one trust is not asked which
            del self.fields["provider"]

    def chosen_provider(self) -> Organisation:
        if "provider" in self.fields:
            return self.providers[self.cleaned_data["provider"]]
        return next(iter(self.providers.values()))

    def chosen_commissioner(self) -> Organisation:
        return self.commissioners[self.cleaned_data["commissioner"]]


class TeamForm(forms.Form):
    service = fields.SelectField(label="Service", choices=[], error_messages={"required": "Select the team's service"})
    name = fields.CharField(
        label="Name of the team",
        hint="Like Blackburn with Darwen satellite team",
        max_length=200,
        error_messages={"required": "Enter the name of the team", "max_length": "Name must be 200 characters or fewer"},
    )
    kind = fields.ChoiceField(
        label="Is it a hub or a satellite team?",
        choices=[
            (TeamKind.HUB.value, "Hub team"),
            (TeamKind.SATELLITE.value, "Satellite team, supervised by a hub team"),
        ],
        error_messages={"required": "Select whether it is a hub or a satellite team"},
    )
    hub = fields.SelectField(
        label="Supervising hub team",
        hint="For a satellite team: the hub team of the same service that supervises it",
        choices=[],
        required=False,
    )
    local_authority = fields.SelectField(
        label="Council area the team serves (optional)",
        hint=(
            "Until a team lead sets the team's catchment in its team settings, referrals for families "
            "in this council's area come to the team. Add the council under Organisations first if it is not here."
        ),
        choices=[],
        required=False,
        error_messages={"invalid_choice": "Select a council from the list"},
    )

    def __init__(
        self, *args: Any, services: list[Service], hubs: list[Team], councils: list[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.services = {str(s.pk): s for s in services}
        self.hubs = {str(t.pk): t for t in hubs}
        self.councils = {str(o.pk): o for o in councils}
        service_field: Any = self.fields["service"]
        hub_field: Any = self.fields["hub"]
        council_field: Any = self.fields["local_authority"]
        service_field.choices = _choices(services)
        hub_field.choices = [("", "None (it is a hub team)"), *_choices(hubs, lambda t: f"{t.name} ({t.service.name})")]
        council_field.choices = [("", "Not set"), *_choices(councils)]
        if len(services) <= 1:
            del self.fields["service"]

    def chosen_service(self) -> Service:
        if "service" in self.fields:
            return self.services[self.cleaned_data["service"]]
        return next(iter(self.services.values()))

    def chosen_hub(self) -> Team | None:
        return self.hubs.get(self.cleaned_data.get("hub") or "")

    def chosen_council(self) -> Organisation | None:
        return self.councils.get(self.cleaned_data.get("local_authority") or "")


class SiteForm(forms.Form):
    kind = fields.ChoiceField(
        label="What kind of site is it?",
        choices=SiteKind.choices,
        error_messages={"required": "Select what kind of site it is"},
    )
    name = fields.CharField(
        label="Name of the site",
        hint="As families know it, like Darwen family hub",
        max_length=200,
        error_messages={"required": "Enter the name of the site", "max_length": "Name must be 200 characters or fewer"},
    )
    address = fields.TextareaField(
        label="Address",
        hint="Without the postcode",
        max_length=300,
        rows=3,
        required=False,
        error_messages={"max_length": "Address must be 300 characters or fewer"},
    )
    postcode = fields.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        classes="nhsuk-input--width-10",
        autocomplete="postal-code",
        error_messages={"max_length": "Enter a real postcode, like BB1 7DJ"},
    )
    opening_hours = fields.TextareaField(
        label="Opening hours",
        hint="As families should be told them, like Monday to Friday, 9am to 5pm",
        max_length=500,
        rows=3,
        required=False,
        error_messages={"max_length": "Opening hours must be 500 characters or fewer"},
    )

    def clean_postcode(self) -> str:
        postcode: str = self.cleaned_data["postcode"]
        if postcode and not is_valid_postcode(postcode):
            raise forms.ValidationError("Enter a real postcode, like BB1 7DJ")
        return postcode
