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
from attune.nonprod import demo_data, demo_referrals
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
_STORY = demo_data.document("scenario")["story"]
SERVICE_NAME: str = _STORY["service_name"]
HUB_START: date = _STORY["hub_started"]
SATELLITE_START: date = _STORY["satellite_started"]


@dataclass(frozen=True)
class DemoRole:
    role: Role
    place: str  # a team's or an organisation's key
    starts_on: date


@dataclass(frozen=True)
class DemoPerson:
    key: str
    full_name: str
    summary: str
    roles: tuple[DemoRole, ...]

    @property
    def email(self) -> str:
        first, last = self.full_name.lower().split(" ")[-2:]
        return f"{first}.{last}@{EMAIL_DOMAIN}"


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    code: str
    name: str
    kind: OrganisationKind


@dataclass(frozen=True)
class DemoTeam:
    key: str
    name: str
    kind: TeamKind
    covers: str  # the council's key
    hub: str = ""


@dataclass(frozen=True)
class DemoSite:
    team: str
    name: str
    kind: SiteKind
    address: str
    postcode: str


PEOPLE = demo_data.read("scenario", "person", DemoPerson)
ORGANISATIONS = {o.key: o for o in demo_data.read("scenario", "organisation", DemoOrganisation)}
TEAMS = demo_data.read("scenario", "team", DemoTeam)
SITES = demo_data.read("scenario", "site", DemoSite)
CATCHMENT: dict[str, str] = demo_data.document("scenario")["catchment"]


@transaction.atomic
def load() -> tuple[DemoPerson, ...]:
    """Load or refresh everything; returns the demo people to sign in as."""
    orgs = {
        o.key: Organisation.objects.update_or_create(code=o.code, defaults={"name": o.name, "kind": o.kind})[0]
        for o in ORGANISATIONS.values()
    }
    service, _ = Service.objects.update_or_create(
        name=SERVICE_NAME,
        defaults={"provider": orgs["trust"], "commissioner": orgs["icb"]},
    )
    teams: dict[str, Team] = {}
    for team in sorted(TEAMS, key=lambda t: bool(t.hub)):  # hubs first: satellites name theirs
        teams[team.key], _ = Team.objects.update_or_create(
            service=service,
            name=team.name,
            defaults={"kind": team.kind, "hub": teams.get(team.hub), "local_authority": orgs[team.covers]},
        )
    for site in SITES:
        Site.objects.update_or_create(
            team=teams[site.team],
            name=site.name,
            defaults={"kind": site.kind, "address": site.address, "postcode": site.postcode},
        )
    for team in TEAMS:
        rules, _ = EligibilityRules.objects.update_or_create(
            team=teams[team.key],
            defaults={
                "max_age_years": 5,
                "accepts_unborn": True,
                "triage_target_working_days": 5,
                "expected_episode_weeks": 26,
            },
        )
        rules.areas.set([orgs[team.covers]])
    for prefix, area_key in CATCHMENT.items():
        Catchment.objects.update_or_create(prefix=prefix, defaults={"local_authority": orgs[area_key]})

    places: dict[str, Team | Organisation] = {**teams, **orgs}
    users: dict[str, User] = {}
    for person in PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(person.email, person.full_name, DEMO_PASSWORD, is_demo_account=True)
        for held in person.roles:
            place = places[held.place]
            in_team = place if isinstance(place, Team) else None
            in_organisation = place if isinstance(place, Organisation) else None
            Membership.objects.get_or_create(
                user=user,
                role=held.role,
                team=in_team,
                organisation=in_organisation,
                defaults={"starts_on": held.starts_on},
            )
        users[person.key] = user
    demo_referrals.load(teams=teams, users=users)
    load_demo_deprivation()  # SYNTHETIC postcode -> LSOA -> IMD decile subset for the equity tables
    return PEOPLE


def teams() -> list[Team]:
    """The demo's teams, hub first."""
    return list(Team.objects.filter(service__name=SERVICE_NAME).order_by("kind", "name"))
