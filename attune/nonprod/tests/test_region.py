"""The region-scale generator at a tiny size: consistent, near the size asked for, the same for a seed."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from attune.care.codes import Attendance
from attune.care.models import Appointment, Discharge, Episode, EpisodeEvent
from attune.families.models import Family, Infant
from attune.nonprod import region
from attune.outcomes.models import Administration
from attune.referrals.models import Referral, ReferralStatus
from attune.referrals.workflow import Status

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
FAMILIES = 80


def _build(seed: int = 7, families: int = FAMILIES) -> region.Built:
    return region.build(families=families, years=4, teams=2, seed=seed, today=TODAY)


def _signature() -> list[tuple]:
    return [
        *Referral.objects.order_by("reference").values_list(
            "reference", "id", "received_at", "source", "family__postcode"
        ),
        *Appointment.objects.order_by("id").values_list("id", "starts_at", "attendance"),
        *Administration.objects.order_by("id").values_list("id", "instrument", "total", "above_cutoff"),
    ]


def test_the_region_is_consistent_and_near_the_size_asked_for() -> None:
    built = _build()
    assert Family.objects.count() == FAMILIES
    assert len(built.teams) == 2
    # About 17.5 appointments and 7.5 questionnaires a family at full size (350,000 and 150,000).
    assert 10 * FAMILIES < Appointment.objects.count() < 25 * FAMILIES
    assert 4 * FAMILIES < Administration.objects.count() < 11 * FAMILIES
    # Babies referred before birth, some born since (the record gains a date of birth).
    assert Infant.objects.filter(expected_due_date__isnull=False, date_of_birth__isnull=False).exists()
    shares = dict(Appointment.objects.exclude(attendance="").values_list("attendance").annotate(n=Count("id")))
    recorded = sum(shares.values())
    attended = shares.get(Attendance.ATTENDED, 0) + shares.get(Attendance.LATE_SEEN, 0)
    assert 0.7 < attended / recorded < 0.9
    assert 0.05 < shares.get(Attendance.DID_NOT_ATTEND, 0) / recorded < 0.16

    for episode in Episode.objects.select_related("referral"):
        accepted = ReferralStatus.objects.get(referral=episode.referral, status=Status.ACCEPTED).entered_at
        assert episode.referral.received_at < accepted < episode.opened_at
        discharge = Discharge.objects.filter(episode=episode).first()
        kinds = list(episode.events.values_list("kind", flat=True))
        assert kinds[0] == EpisodeEvent.Kind.ALLOCATED
        assert (discharge is not None) == (EpisodeEvent.Kind.DISCHARGED in kinds)
        last = discharge.discharged_at if discharge else None
        for starts_at in episode.appointments.values_list("starts_at", flat=True):
            assert starts_at >= episode.opened_at.replace(hour=0)
            assert last is None or starts_at <= last
        for completed_on in episode.administrations.values_list("completed_on", flat=True):
            assert episode.opened_at.date() <= completed_on <= (last.date() if last else TODAY)
    # Every referral's history starts with its receipt, in time order.
    for referral in Referral.objects.prefetch_related("history")[:50]:
        history = list(referral.history.all())
        assert history[0].status == Status.RECEIVED
        assert [h.entered_at for h in history] == sorted(h.entered_at for h in history)


def test_the_status_columns_are_the_latest_rows_of_the_histories_as_built() -> None:
    """The generator sets them in memory rather than through append_status: every one must be
    what the history says (issue 18)."""
    _build(families=40)
    referrals = list(Referral.objects.prefetch_related("history"))
    episodes = list(Episode.objects.prefetch_related("events"))
    assert referrals
    assert episodes
    for referral in referrals:
        latest = max(referral.history.all(), key=lambda row: (row.entered_at, row.id))
        assert (referral.status, referral.status_at) == (latest.status, latest.entered_at)
    for episode in episodes:
        event = max(episode.events.all(), key=lambda row: (row.at, row.id))
        assert (episode.last_event_kind, episode.last_event_at) == (event.kind, event.at)
    assert Episode.objects.discharged().count() == Discharge.objects.count()


def test_the_same_seed_gives_the_same_region_and_another_seed_another() -> None:
    with transaction.atomic():
        _build(families=30)
        first = _signature()
        transaction.set_rollback(True)
    with transaction.atomic():
        _build(families=30)
        again = _signature()
        transaction.set_rollback(True)
    _build(seed=8, families=30)
    assert first == again
    assert first != _signature()


def test_it_refuses_a_database_that_has_families() -> None:
    _build(families=1)
    with pytest.raises(region.RegionRefused, match="already has families"):
        _build()


def test_the_command_refuses_outside_demo_mode_without_the_flag() -> None:
    with pytest.raises(CommandError, match="demo mode"):
        call_command("make_region", "--families", "5", stdout=StringIO())
    assert not Family.objects.exists()


def test_the_region_is_searchable_as_built() -> None:
    """Written in bulk, not through the actions, so the build fills the search index itself."""
    from attune.families.models import Carer, SearchEntry
    from attune.search.engine import find_families

    built = _build(families=30)
    assert SearchEntry.objects.filter(kind="name").exists()
    carer = Carer.objects.order_by("id").first()
    assert carer is not None
    found = find_families(f"{carer.given_name} {carer.family_name}", team_ids=[team.pk for team in built.teams])
    assert carer.family_id in found.family_ids
