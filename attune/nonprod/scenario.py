"""The demo scenario: Blackpool PAIRS and its Blackburn with Darwen satellite (DESIGN.md).

Loading is idempotent: every row is found by its natural key and updated, never duplicated.
People are synthetic. Each team's eligibility rules and the postcode catchment are loaded here;
the families and referrals in the triage inbox come from `demo_referrals`. Later capabilities add
episodes, measures and money to this scenario.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from attune.accounts.models import User
from attune.nonprod import demo_referrals
from attune.organisations.models import (
    Catchment,
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
from attune.referrals.models import EligibilityRules
from attune.reports.deprivation import load_demo_deprivation

DEMO_PASSWORD = "attune-demo-password"  # noqa: S105 - demo mode only; production refuses demo mode
EMAIL_DOMAIN = "attune-demo.example"
SATELLITE_START = date(2024, 11, 1)
SERVICE_NAME = "Blackpool Parent Infant Relationship Service (PAIRS)"
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
        "council_commissioner",
        "Rachel Hartley",
        "Commissioner at Blackburn with Darwen Council, which funds the satellite",
        ((Role.COMMISSIONER, "bwd_council", date(2024, 9, 1)),),
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

# Postcode districts to councils (a simplification: a few of these districts cross into
# neighbouring councils; a live service loads sector-level rows from the ONS postcode directory).
CATCHMENT = {
    "FY1": "blackpool_council",
    "FY2": "blackpool_council",
    "FY3": "blackpool_council",
    "FY4": "blackpool_council",
    "BB1": "bwd_council",
    "BB2": "bwd_council",
    "BB3": "bwd_council",
}
# Each team: the council it covers. Both take pregnancy to the 5th birthday and aim to triage
# within 5 working days (domain D: ranges vary by team, so they are settings).
TEAM_AREAS = {"hub": "blackpool_council", "satellite": "bwd_council"}


@transaction.atomic
def load() -> list[DemoPerson]:
    """Load or refresh everything; returns the demo people to sign in as."""
    orgs = {
        key: Organisation.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})[0]
        for key, (code, name, kind) in ORGANISATIONS.items()
    }
    service, _ = Service.objects.update_or_create(
        name=SERVICE_NAME,
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

    teams = {"hub": hub, "satellite": satellite}
    for team_key, area_key in TEAM_AREAS.items():
        rules, _ = EligibilityRules.objects.update_or_create(
            team=teams[team_key],
            defaults={
                "max_age_years": 5,
                "accepts_unborn": True,
                "triage_target_working_days": 5,
                "expected_episode_weeks": 26,
            },
        )
        rules.areas.set([orgs[area_key]])
    for prefix, area_key in CATCHMENT.items():
        Catchment.objects.update_or_create(prefix=prefix, defaults={"local_authority": orgs[area_key]})

    places: dict[str, Team | Organisation] = {**teams, **orgs}
    users: dict[str, User] = {}
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
        users[person.key] = user
    demo_referrals.load(teams=teams, users=users)
    load_demo_deprivation()  # SYNTHETIC postcode -> LSOA -> IMD decile subset for the equity tables
    return PEOPLE


def teams() -> list[Team]:
    """The demo's teams, hub first."""
    return list(Team.objects.filter(service__name=SERVICE_NAME).order_by("kind", "name"))
