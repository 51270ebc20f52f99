"""What the public pages look up: which council and team cover a postcode, what the service
covers, and the team's triage target, so the view module reaches no model directly."""

from dataclasses import dataclass

from django.utils import timezone

from attune.organisations.models import Team
from attune.referrals.models import DEFAULT_TRIAGE_TARGET, EligibilityRules


def covered_area_names() -> list[str]:
    """Every council area a team takes referrals from, by name."""
    in_force = EligibilityRules.objects.in_force(timezone.localdate())
    names = in_force.exclude(areas=None).values_list("areas__name", flat=True)
    return sorted({name for name in names if name})


def in_words(names: list[str]) -> str:
    """['A', 'B', 'C'] -> 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}" if names else ""


def not_covered_message() -> str:
    areas = covered_area_names()
    covers = f". This service covers {in_words(areas)}" if areas else ""
    return f"We cannot accept referrals for this postcode{covers}"


def triage_target_days(team: Team) -> int:
    """The target in force today: what the acknowledgement of a referral sent today promises."""
    return EligibilityRules.objects.triage_targets([team.pk], on=timezone.localdate())[team.pk]


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
        EligibilityRules.objects.in_force(timezone.localdate())
        .select_related("team__service")
        .prefetch_related("areas")
        .order_by("team__name")
    )
    return FrontDoor(
        service_names=sorted({r.team.service.name for r in rules}),
        teams=[
            TeamOffer(r.team.name, r.team.kind == "satellite", sorted(area.name for area in r.areas.all()))
            for r in rules
        ],
        max_age_years=max((r.max_age_years for r in rules), default=5),
        accepts_unborn=any(r.accepts_unborn for r in rules) or not rules,
        triage_target_days=max((r.triage_target_working_days for r in rules), default=DEFAULT_TRIAGE_TARGET),
    )
