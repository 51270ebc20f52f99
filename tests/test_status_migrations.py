"""The migrations that add the status columns (issue 18, ADR 0017) fill them from the latest row
of each history, on SQLite and PostgreSQL alike: run back to before them and forward again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from attune.accounts.models import User
from attune.care.models import Episode, EpisodeEvent
from attune.care.services import append_event
from attune.care.tests.factories import open_episode
from attune.organisations.tests.world import World
from attune.referrals.models import Referral
from attune.referrals.services import append_status
from attune.referrals.tests.factories import ReferralFactory
from attune.referrals.workflow import Status

BEFORE = [("referrals", "0004_priority_first_contact_targets"), ("care", "0006_intervention_weights")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_migrations_fill_the_columns_from_the_latest_history_rows(world: World, practitioner: User) -> None:
    received = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    accepted: Referral = ReferralFactory(team=world.hub, received_at=received)
    append_status(referral=accepted, status=Status.ACCEPTED, entered_at=received + dt.timedelta(days=2))
    # Two rows at the same moment: the one added last is the latest.
    tied: Referral = ReferralFactory(team=world.hub, received_at=received)
    append_status(referral=tied, status=Status.AWAITING_INFORMATION, entered_at=received)
    bare: Referral = ReferralFactory(team=world.hub, received_at=received)
    episode = open_episode(world.hub, practitioner, opened_at=received + dt.timedelta(days=10))
    discharged_at = received + dt.timedelta(days=40)
    append_event(episode=episode, kind=EpisodeEvent.Kind.DISCHARGED, at=discharged_at, by=practitioner)
    try:
        old = _migrate(BEFORE).loader.project_state(BEFORE).apps
        # A referral with no history at all, which the actions never leave: it counts as received.
        old.get_model("referrals", "ReferralStatus").objects.filter(referral_id=bare.pk).delete()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    found = {pk: (status, at) for pk, status, at in Referral.objects.values_list("pk", "status", "status_at")}
    assert found[accepted.pk] == (Status.ACCEPTED, received + dt.timedelta(days=2))
    assert found[tied.pk] == (Status.AWAITING_INFORMATION, received)
    assert found[bare.pk] == (Status.RECEIVED, received)
    stored = Episode.objects.get(pk=episode.pk)
    assert (stored.last_event_kind, stored.last_event_at) == (EpisodeEvent.Kind.DISCHARGED, discharged_at)
    assert Episode.objects.discharged().filter(pk=episode.pk).exists()
