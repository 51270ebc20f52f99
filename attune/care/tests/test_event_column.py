"""The episode's last-event columns are the latest row of its history, whatever happens (issue 18).

Random sequences of the real actions (allocation, transfer in the team or to another, discharge,
reopening, allocating again), legal and illegal, on a clock that moves forward by random steps
(a step of nothing gives two events at the same moment), with history filled in late now and
then: after every step the columns equal the latest event, an illegal action raises CareError
and changes neither, and open() and discharged() agree with the history."""

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from attune.accounts.models import User
from attune.care import services
from attune.care.codes import DischargeReason, WorkerRole
from attune.care.models import Episode, EpisodeEvent, EpisodeWorker
from attune.care.services import CareError
from attune.care.tests.factories import intervention, waiting_referral
from attune.care.tests.factories_waiting import capacity
from attune.core.formatting import LONDON
from attune.core.testing.actors import acting
from attune.organisations.tests.world import World

START = dt.datetime(2026, 3, 2, 9, tzinfo=LONDON)
HUB, SATELLITE = "hub", "satellite"


@dataclass(frozen=True)
class Transfer:
    to: str  # "practitioner" or "supervisor"
    team: str  # HUB or SATELLITE (only the supervisor has a caseload in both)


@dataclass(frozen=True)
class Discharge:
    pass


@dataclass(frozen=True)
class Reopen:
    pass


@dataclass(frozen=True)
class AllocateAgain:
    pass


@dataclass(frozen=True)
class FilledInLate:
    """An event appended with an earlier time than the latest (an importer catching up): the
    columns follow the history's order, not the order events were added."""

    kind: str
    minutes_back: int


Step = Transfer | Discharge | Reopen | AllocateAgain | FilledInLate

steps = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3 * 24 * 60),  # minutes the clock moves first (0: the same moment)
        st.one_of(
            st.sampled_from(
                [Transfer("practitioner", HUB), Transfer("supervisor", HUB), Transfer("supervisor", SATELLITE)]
            ),
            st.just(Discharge()),
            st.just(Reopen()),
            st.just(AllocateAgain()),
            st.builds(
                FilledInLate, st.sampled_from(EpisodeEvent.Kind.values), st.integers(min_value=0, max_value=24 * 60)
            ),
        ),
    ),
    max_size=8,
)


def _latest(episode: Episode) -> EpisodeEvent:
    event = episode.events.order_by("-at", "-id").first()
    assert event is not None
    return event


def _assert_columns_are_latest(episode: Episode) -> None:
    latest = _latest(episode)
    stored = Episode.objects.with_state().get(pk=episode.pk)
    assert (stored.last_event_kind, stored.last_event_at) == (latest.kind, latest.at)
    assert stored.last_event == latest.kind  # type: ignore[attr-defined]
    discharged = latest.kind == EpisodeEvent.Kind.DISCHARGED
    assert Episode.objects.open().filter(pk=episode.pk).exists() is not discharged
    assert Episode.objects.discharged().filter(pk=episode.pk).exists() is discharged


def _snapshot(episode: Episode) -> tuple[object, ...]:
    stored = Episode.objects.get(pk=episode.pk)
    return (episode.events.count(), _latest(episode).pk, stored.last_event_kind, stored.last_event_at)


def _legal(step: Step, episode: Episode, people: dict[str, User], world: World) -> bool:
    discharged = _latest(episode).kind == EpisodeEvent.Kind.DISCHARGED
    if isinstance(step, Transfer):
        stored = Episode.objects.get(pk=episode.pk)
        lead = EpisodeWorker.objects.get(episode=episode, role=WorkerRole.LEAD, ended_at__isnull=True)
        team = world.hub if step.team == HUB else world.satellite
        same = lead.practitioner_id == people[step.to].pk and stored.team_id == team.pk
        return not discharged and not same
    if isinstance(step, Discharge):
        return not discharged
    if isinstance(step, Reopen):
        return discharged
    return False  # an episode is allocated once


def _act(step: Step, episode: Episode, people: dict[str, User], world: World) -> None:
    actor = acting(people["team_lead"])
    if isinstance(step, Transfer):
        team = world.hub if step.team == HUB else world.satellite
        services.transfer_episode(
            actor=actor,
            episode=episode,
            to_practitioner=people[step.to],
            to_team=team,
            reason="Cover",
            override_reason="Test",
        )
    elif isinstance(step, Discharge):
        services.discharge_episode(
            actor=actor, episode=episode, reason=DischargeReason.COMPLETED, summary="Work finished."
        )
    elif isinstance(step, Reopen):
        services.reopen_episode(actor=actor, episode=episode, reason="Sleep got worse")
    else:
        services.allocate_episode(
            actor=actor,
            referral=episode.referral,
            lead=people["practitioner"],
            interventions=[intervention()],
            override_reason="Test",
        )


def _take(step: Step, episode: Episode, people: dict[str, User], world: World) -> None:
    if isinstance(step, FilledInLate):
        at = _latest(episode).at - dt.timedelta(minutes=step.minutes_back)
        services.append_event(episode=episode, kind=step.kind, at=at, by=people["team_lead"])
        return
    before = _latest(episode).pk
    if _legal(step, episode, people, world):
        _act(step, episode, people, world)
        assert _latest(episode).pk != before
    else:
        snapshot = _snapshot(episode)
        with pytest.raises(CareError):
            _act(step, episode, people, world)
        assert _snapshot(episode) == snapshot


def test_the_last_event_columns_are_always_the_latest_row_of_the_history(
    world: World, team_lead: User, practitioner: User, supervisor: User
) -> None:
    people = {"team_lead": team_lead, "practitioner": practitioner, "supervisor": supervisor}
    capacity(world.hub, practitioner)
    capacity(world.hub, supervisor)
    capacity(world.satellite, supervisor)

    @given(steps=steps)
    @settings(max_examples=50, deadline=None)
    def run(steps: list[tuple[int, Step]]) -> None:
        with time_machine.travel(START, tick=False) as clock:
            referral = waiting_referral(world.hub, received_at=START - dt.timedelta(days=20))
            episode = services.allocate_episode(
                actor=acting(team_lead),
                referral=referral,
                lead=practitioner,
                interventions=[intervention()],
                override_reason="Test",
            )
            assert (episode.last_event_kind, episode.last_event_at) == (EpisodeEvent.Kind.ALLOCATED, START)
            _assert_columns_are_latest(episode)
            for minutes, step in steps:
                clock.shift(dt.timedelta(minutes=minutes))
                _take(step, episode, people, world)
                _assert_columns_are_latest(episode)

    run()


def test_a_bulk_written_history_sets_the_columns_from_its_latest_events(
    world: World, team_lead: User, practitioner: User
) -> None:
    capacity(world.hub, practitioner)
    episodes = [
        services.allocate_episode(
            actor=acting(team_lead),
            referral=waiting_referral(world.hub),
            lead=practitioner,
            interventions=[intervention()],
        )
        for _ in range(2)
    ]
    first, second = episodes
    later = first.last_event_at + dt.timedelta(days=3)
    services.append_events(
        [
            EpisodeEvent(episode=first, kind=EpisodeEvent.Kind.DISCHARGED, at=later, by=practitioner),
            # Earlier than the event it follows: not the latest, so the columns keep the discharge.
            EpisodeEvent(
                episode=first, kind=EpisodeEvent.Kind.REOPENED, at=later - dt.timedelta(days=1), by=practitioner
            ),
            EpisodeEvent(episode=second, kind=EpisodeEvent.Kind.TRANSFERRED, at=later, by=practitioner),
        ]
    )
    assert (first.last_event_kind, first.last_event_at) == (EpisodeEvent.Kind.DISCHARGED, later)
    for episode in episodes:
        _assert_columns_are_latest(episode)


def test_sync_puts_the_columns_back_after_the_history_moved_in_the_table(
    world: World, team_lead: User, practitioner: User
) -> None:
    capacity(world.hub, practitioner)
    episode = services.allocate_episode(
        actor=acting(team_lead), referral=waiting_referral(world.hub), lead=practitioner, interventions=[intervention()]
    )
    moved = episode.last_event_at - dt.timedelta(days=30)
    EpisodeEvent.objects.filter(episode=episode).update(kind=EpisodeEvent.Kind.DISCHARGED, at=moved)
    assert Episode.objects.filter(pk=episode.pk).sync_last_event() == 1
    assert Episode.objects.discharged().filter(pk=episode.pk, last_event_at=moved).exists()
