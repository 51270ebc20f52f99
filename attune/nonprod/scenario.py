"""The demo scenario: Blackpool PAIRS and its Blackburn with Darwen satellite (DESIGN.md).

Loading is idempotent: every row is found by its natural key and updated, never duplicated.
People are synthetic; later capabilities add families, referrals and money to this scenario.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from attune.accounts.models import User
from attune.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Service,
    Site,
    SiteKind,
    Team,
    TeamKind,
)
from attune.organisations.roles import Role

DEMO_PASSWORD = "attune-demo-password"  # noqa: S105 - demo mode only; production refuses demo mode
EMAIL_DOMAIN = "attune-demo.example"
SATELLITE_START = date(2024, 11, 1)
HUB_START = date(2021, 4, 1)


@dataclass(frozen=True)
class DemoPerson:
    key: str
    full_name: str
    summary: str
    # (role, place key, starts on): place keys are team or organisation keys below.
    roles: tuple[tuple[Role, str, date], ...]

    @property
    def email(self) -> str:
        first, last = self.full_name.lower().split(" ")[-2:]
        return f"{first}.{last}@{EMAIL_DOMAIN}"


PEOPLE = [
    DemoPerson(
        "team_lead",
        "Priya Shah",
        "Team lead for the hub and the satellite",
        ((Role.TEAM_LEAD, "hub", HUB_START), (Role.TEAM_LEAD, "satellite", SATELLITE_START)),
    ),
    DemoPerson(
        "supervisor",
        "Helen Okafor",
        "Hub clinical supervisor; supervises the satellite",
        (
            (Role.SUPERVISOR, "hub", HUB_START),
            (Role.PRACTITIONER, "hub", HUB_START),
            (Role.SUPERVISOR, "satellite", SATELLITE_START),
        ),
    ),
    DemoPerson(
        "practitioner",
        "Tom Whitaker",
        "Parent-infant therapist in the hub",
        ((Role.PRACTITIONER, "hub", date(2022, 9, 1)),),
    ),
    DemoPerson(
        "coordinator",
        "Joanne Pickering",
        "Coordinator for the hub and the satellite",
        ((Role.COORDINATOR, "hub", HUB_START), (Role.COORDINATOR, "satellite", SATELLITE_START)),
    ),
    DemoPerson(
        "trainee_1",
        "Aisha Begum",
        "Recruit-to-train therapist, satellite",
        ((Role.TRAINEE, "satellite", SATELLITE_START),),
    ),
    DemoPerson(
        "trainee_2",
        "Megan Riley",
        "Recruit-to-train therapist, satellite",
        ((Role.TRAINEE, "satellite", SATELLITE_START),),
    ),
    DemoPerson(
        "commissioner", "Gareth Lloyd", "Commissioner at the ICB", ((Role.COMMISSIONER, "icb", date(2023, 1, 1)),)
    ),
    DemoPerson(
        "ig_lead",
        "Sandra Collins",
        "Information governance lead at the trust",
        ((Role.IG_LEAD, "trust", date(2020, 6, 1)),),
    ),
    DemoPerson(
        "system_admin",
        "Mark Evans",
        "System administrator at the trust",
        ((Role.SYSTEM_ADMIN, "trust", date(2020, 6, 1)),),
    ),
]

ORGANISATIONS = {
    "icb": ("QE1", "NHS Lancashire and South Cumbria Integrated Care Board", OrganisationKind.ICB),
    "trust": ("RXL", "Blackpool Teaching Hospitals NHS Foundation Trust", OrganisationKind.NHS_TRUST),
    "blackpool_council": ("E06000009", "Blackpool Council", OrganisationKind.LOCAL_AUTHORITY),
    "bwd_council": ("E06000008", "Blackburn with Darwen Borough Council", OrganisationKind.LOCAL_AUTHORITY),
}


@transaction.atomic
def load() -> list[DemoPerson]:
    orgs = {
        key: Organisation.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})[0]
        for key, (code, name, kind) in ORGANISATIONS.items()
    }
    service, _ = Service.objects.update_or_create(
        name="Blackpool Parent Infant Relationship Service (PAIRS)",
        defaults={"provider": orgs["trust"], "commissioner": orgs["icb"]},
    )
    hub, _ = Team.objects.update_or_create(
        service=service,
        name="Blackpool PAIRS hub team",
        defaults={"kind": TeamKind.HUB, "hub": None, "local_authority": orgs["blackpool_council"]},
    )
    satellite, _ = Team.objects.update_or_create(
        service=service,
        name="Blackburn with Darwen satellite team",
        defaults={"kind": TeamKind.SATELLITE, "hub": hub, "local_authority": orgs["bwd_council"]},
    )
    for team, name, kind, address, postcode in [
        (hub, "Blackpool PAIRS clinic", SiteKind.CLINIC, "Blackpool", "FY3 8NR"),
        (satellite, "Blackburn family hub", SiteKind.FAMILY_HUB, "Blackburn", "BB1 7DJ"),
        (satellite, "Darwen family hub", SiteKind.FAMILY_HUB, "Darwen", "BB3 1AX"),
    ]:
        Site.objects.update_or_create(
            team=team, name=name, defaults={"kind": kind, "address": address, "postcode": postcode}
        )

    places: dict[str, Team | Organisation] = {"hub": hub, "satellite": satellite, **orgs}
    for person in PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(person.email, person.full_name, DEMO_PASSWORD, is_demo_account=True)
        for role, place_key, starts_on in person.roles:
            place = places[place_key]
            in_team = place if isinstance(place, Team) else None
            in_organisation = place if isinstance(place, Organisation) else None
            Membership.objects.get_or_create(
                user=user, role=role, team=in_team, organisation=in_organisation, defaults={"starts_on": starts_on}
            )
    return PEOPLE
