"""A service's intervention weights, from a day on (issue 15): the weight in force on a day, the
starting weight before any change, allocation at today's weights, and the action's rules and audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from attune.accounts.models import User
from attune.care import services
from attune.care.models import Episode, Intervention, InterventionWeight
from attune.care.presenters.settings import WeightsPage
from attune.care.services import CapacityExceeded, WeightsError
from attune.care.tests.factories import CapacityFactory, intervention, open_episode, waiting_referral
from attune.core.actors import Actor
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.organisations.models import Service
from attune.organisations.tests.world import World

PIP = "parent-infant-psychotherapy"
VIG = "video-interaction-guidance"


def _weight(world: World, code: str, weight: str, day: dt.date, *, other: bool = False) -> InterventionWeight:
    service = world.other_team.service if other else world.hub.service
    return InterventionWeight.objects.create(
        service=service, intervention=intervention(code), weight=Decimal(weight), effective_from=day
    )


def _in_force(world: World, code: str, day: dt.date, *, other: bool = False) -> Decimal:
    service_id = world.other_team.service_id if other else world.hub.service_id
    return InterventionWeight.objects.in_force(service_id, day)[intervention(code).pk]


# The weight in force on a day ------------------------------------------------------------------


def test_with_no_change_an_intervention_weighs_its_starting_weight(world: World) -> None:
    today = timezone.localdate()
    assert _in_force(world, PIP, today) == Decimal("1.00")
    assert _in_force(world, VIG, today) == Decimal("0.75")


def test_the_weight_of_a_day_is_the_latest_change_that_took_effect_by_then(world: World) -> None:
    today = timezone.localdate()
    first, second = today - dt.timedelta(days=40), today + dt.timedelta(days=10)
    _weight(world, VIG, "1.25", first)
    _weight(world, VIG, "2", second)
    assert _in_force(world, VIG, first - dt.timedelta(days=1)) == Decimal("0.75")  # the starting weight
    assert _in_force(world, VIG, first) == Decimal("1.25")
    assert _in_force(world, VIG, today) == Decimal("1.25")
    assert _in_force(world, VIG, second) == Decimal("2.00")
    assert _in_force(world, PIP, second) == Decimal("1.00")  # another intervention keeps its own


def test_a_weight_set_in_one_service_leaves_another_service_alone(world: World) -> None:
    today = timezone.localdate()
    _weight(world, PIP, "3", today)
    assert _in_force(world, PIP, today) == Decimal("3.00")
    assert _in_force(world, PIP, today, other=True) == Decimal("1.00")


def test_in_force_is_one_query(world: World, django_assert_num_queries: object) -> None:
    today = timezone.localdate()
    for n in range(5):
        _weight(world, PIP, "2", today - dt.timedelta(days=n))
    with django_assert_num_queries(1):  # type: ignore[operator]
        weights = InterventionWeight.objects.in_force(world.hub.service_id, today)
    assert weights[intervention(PIP).pk] == Decimal("2.00")


def test_an_episode_weighs_its_heaviest_intervention_on_the_day_in_its_teams_service(
    world: World, practitioner: User
) -> None:
    today = timezone.localdate()
    both = open_episode(world.hub, practitioner, codes=(PIP, VIG))
    none = open_episode(world.hub, practitioner, codes=())
    elsewhere = open_episode(world.other_team, practitioner, codes=(VIG,))
    _weight(world, VIG, "1.5", today)

    def weights(day: dt.date) -> dict[object, Decimal | None]:
        return dict(Episode.objects.with_weight(day).values_list("pk", "weight"))

    yesterday = weights(today - dt.timedelta(days=1))
    assert yesterday[both.pk] == Decimal("1.00")
    assert yesterday[none.pk] is None  # the report counts it as 1.00
    now = weights(today)
    assert now[both.pk] == Decimal("1.50")
    assert now[elsewhere.pk] == Decimal("0.75")  # the other service kept the starting weight


# Allocation at today's weights ----------------------------------------------------------------


def test_a_change_from_a_later_day_leaves_todays_caseloads_and_allocation_alone(
    world: World, team_lead: User, practitioner: User
) -> None:
    CapacityFactory(team=world.hub, practitioner=practitioner, max_weighted_caseload=Decimal("1.75"))
    open_episode(world.hub, practitioner, codes=(PIP,))
    _weight(world, VIG, "5", timezone.localdate() + dt.timedelta(days=1))
    assert services.weighted_caseloads(world.hub, [practitioner.pk])[practitioner.pk] == Decimal("1.00")
    services.allocate_episode(
        actor=acting(team_lead),
        referral=waiting_referral(world.hub),
        lead=practitioner,
        interventions=[intervention(VIG)],
    )
    assert services.weighted_caseloads(world.hub, [practitioner.pk])[practitioner.pk] == Decimal("1.75")


def test_allocation_weighs_the_family_at_todays_weight_in_the_teams_service(
    world: World, team_lead: User, practitioner: User
) -> None:
    CapacityFactory(team=world.satellite, practitioner=practitioner, max_weighted_caseload=Decimal("1.75"))
    open_episode(world.satellite, practitioner, codes=(PIP,))
    # Set by the hub's service for today: the satellite, of the same service, works to it.
    _weight(world, VIG, "1", timezone.localdate())
    with pytest.raises(CapacityExceeded) as over:
        services.allocate_episode(
            actor=acting(team_lead),
            referral=waiting_referral(world.satellite),
            lead=practitioner,
            interventions=[intervention(VIG)],
        )
    assert over.value.over[0][1] == Decimal("2.00")


def test_a_transfer_weighs_the_episode_in_the_service_it_moves_within(
    world: World, team_lead: User, practitioner: User, supervisor: User
) -> None:
    CapacityFactory(team=world.satellite, practitioner=supervisor, max_weighted_caseload=Decimal("2"))
    moving = open_episode(world.hub, practitioner, codes=(VIG,))
    _weight(world, VIG, "2.5", timezone.localdate())
    with pytest.raises(CapacityExceeded):
        services.transfer_episode(
            actor=acting(team_lead), episode=moving, to_practitioner=supervisor, to_team=world.satellite, reason="Moved"
        )


# The action ------------------------------------------------------------------------------------


def test_changing_weights_writes_one_audit_event_with_the_old_and_new_weights(world: World, team_lead: User) -> None:
    today = timezone.localdate()
    service = world.hub.service
    rows = services.change_intervention_weights(
        actor=acting(team_lead),
        service=service,
        weights={intervention(PIP): Decimal("1"), intervention(VIG): Decimal("1.5")},
        effective_from=today,
    )
    assert [(r.intervention.code, r.weight, r.effective_from) for r in rows] == [(VIG, Decimal("1.50"), today)]
    [event] = AuditEvent.objects.filter(action="intervention_weights.changed")
    assert event.actor == team_lead
    assert event.object_id == str(service.pk)
    assert event.detail == {"effective_from": today.isoformat(), "old": {VIG: "0.75"}, "new": {VIG: "1.50"}}


def test_a_change_on_a_day_already_changed_corrects_that_days_row(world: World, team_lead: User) -> None:
    day = timezone.localdate() + dt.timedelta(days=7)
    for weight in ("2", "2.5"):
        services.change_intervention_weights(
            actor=acting(team_lead),
            service=world.hub.service,
            weights={intervention(PIP): Decimal(weight)},
            effective_from=day,
        )
    assert list(InterventionWeight.objects.values_list("weight", flat=True)) == [Decimal("2.50")]
    second = AuditEvent.objects.filter(action="intervention_weights.changed").order_by("occurred_at", "id").last()
    assert second is not None
    assert second.detail["old"] == {PIP: "2.00"}


def test_a_change_applies_from_today_or_later_never_from_a_past_day(world: World, team_lead: User) -> None:
    today = timezone.localdate()
    with pytest.raises(WeightsError) as refused:
        services.change_intervention_weights(
            actor=Actor.system("import"),
            service=world.hub.service,
            weights={intervention(PIP): Decimal("2")},
            effective_from=today - dt.timedelta(days=1),
        )
    assert refused.value.problems["effective_from"] == "The date the change applies from must be today or in the future"
    assert not InterventionWeight.objects.exists()
    services.change_intervention_weights(
        actor=Actor.system("import"),
        service=world.hub.service,
        weights={intervention(PIP): Decimal("2")},
        effective_from=today,
    )
    assert _in_force(world, PIP, today) == Decimal("2.00")
    assert _in_force(world, PIP, today - dt.timedelta(days=1)) != Decimal("2.00")


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("0", "Weight for Parent-infant psychotherapy must be between 0.25 and 5"),
        ("5.01", "Weight for Parent-infant psychotherapy must be between 0.25 and 5"),
        ("-1", "Weight for Parent-infant psychotherapy must be between 0.25 and 5"),
        ("NaN", "Weight for Parent-infant psychotherapy must be between 0.25 and 5"),
        ("0.333", "Weight for Parent-infant psychotherapy must have no more than 2 decimal places, like 0.75"),
    ],
)
def test_the_action_refuses_a_weight_out_of_range_for_an_importer_too(world: World, weight: str, message: str) -> None:
    with pytest.raises(WeightsError) as refused:
        services.change_intervention_weights(
            actor=Actor.system("import"),
            service=world.hub.service,
            weights={intervention(PIP): Decimal(weight), intervention(VIG): Decimal("1")},
            effective_from=timezone.localdate(),
        )
    assert refused.value.problems == {PIP: message}
    assert not InterventionWeight.objects.exists()
    assert not AuditEvent.objects.filter(action="intervention_weights.changed").exists()


def test_saving_the_weights_in_force_changes_nothing_and_says_so(world: World, team_lead: User) -> None:
    with pytest.raises(WeightsError) as refused:
        services.change_intervention_weights(
            actor=acting(team_lead),
            service=world.hub.service,
            weights={intervention(PIP): Decimal("1.0"), intervention(VIG): Decimal("0.75")},
            effective_from=timezone.localdate(),
        )
    assert list(refused.value.problems.values()) == ["You have not changed any of the weights"]
    assert not InterventionWeight.objects.exists()


# What the page shows (no database) ----------------------------------------------------------------


def test_the_page_shows_each_weight_since_when_and_the_changes_by_day() -> None:
    today = dt.date(2027, 3, 10)
    assessment = Intervention(code="assessment", name="Assessment", caseload_weight=Decimal("0.50"))
    vig = Intervention(code=VIG, name="Video Interaction Guidance", caseload_weight=Decimal("0.75"))
    assessment.weight, vig.weight = Decimal("0.50"), Decimal("1.25")  # type: ignore[attr-defined]
    history = [
        InterventionWeight(intervention=vig, weight=Decimal("2.00"), effective_from=dt.date(2027, 4, 1)),
        InterventionWeight(intervention=assessment, weight=Decimal("0.25"), effective_from=dt.date(2027, 4, 1)),
        InterventionWeight(intervention=vig, weight=Decimal("1.25"), effective_from=dt.date(2027, 1, 5)),
    ]
    page = WeightsPage(Service(name="Example PAIRS"), None, [assessment, vig], history, today)
    assert [[cell["text"] for cell in row] for row in page.now_rows()] == [
        ["Assessment", "0.5", "Starting weight"],
        ["Video Interaction Guidance", "1.25", "Since 5 January 2027"],
    ]
    assert [(row[0]["text"], row[1]["text"], str(row[2]["html"])) for row in page.history_rows()] == [
        ("1 April 2027", "Future", "Video Interaction Guidance: 2<br>Assessment: 0.25"),
        ("5 January 2027", "Applied", "Video Interaction Guidance: 1.25"),
    ]
    assert page.initial() == {"weight-assessment": "0.5", f"weight-{VIG}": "1.25", "effective_from": today}
    assert page.back_text == "Back to the service"
