"""Allocating a family from the waiting list: who has room, interventions with their weights,
who takes part; past capacity only with a reason; an episode opens, or a clear message says why not."""

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import WorkerRole
from attune.care.models import Episode, EpisodeEvent
from attune.care.tests.factories import intervention, open_episode, waiting_referral
from attune.care.tests.factories_waiting import capacity
from attune.care.tests.pages import html
from attune.core.models import AuditEvent
from attune.families.tests.factories import CarerFactory
from attune.organisations.tests.world import World
from attune.referrals.models import Referral
from attune.referrals.services import append_status
from attune.referrals.workflow import Status

PIP = "parent-infant-psychotherapy"
VIG = "video-interaction-guidance"


def summary(page: str) -> list[tuple[str, str]]:
    """The error summary's links: (href, words)."""
    found = page.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [
        (href, unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for href, text in re.findall(r'<a href="([^"]*)">(.*?)</a>', found)
    ]


def url(referral: Referral) -> str:
    return f"/teams/{referral.team_id}/waiting-list/{referral.pk}/allocate"


def post(client: Client, referral: Referral, **data: Any) -> Any:
    return client.post(url(referral), data)


@pytest.fixture
def referral(world: World) -> Referral:
    return waiting_referral(world.hub, priority="urgent")


def test_form_shows_who_has_room_and_each_interventions_weight(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, supervisor: User, referral: Referral
) -> None:
    capacity(referral.team, practitioner, maximum="12", hours="37.5")
    capacity(referral.team, supervisor, maximum="1", hours="15")
    open_episode(referral.team, practitioner, codes=(VIG,))
    open_episode(referral.team, supervisor)

    page = html(signed_in(team_lead).get(url(referral)))

    assert "Allocate " in page
    assert referral.reference in page
    assert f'value="{practitioner.pk}"' in page
    assert "0.75 of 12 weighted caseload used, 37.5 hours a week" in page
    assert "Full: 1 of 1 weighted caseload used, 15 hours a week" in page
    assert "Video Interaction Guidance" in page
    assert "Caseload weight 0.75" in page
    family = referral.family
    for person in [*family.infants.all(), *family.carers.all()]:
        kind = "infant" if hasattr(person, "date_of_birth") and person in family.infants.all() else "carer"
        assert re.search(rf'value="{kind}:{person.pk}" checked', page), person
    assert "Only needed if this takes someone past their maximum weighted caseload" in page
    event = AuditEvent.objects.get(action="referral.allocation_viewed")
    assert event.object_id == str(referral.pk)


def test_allocating_opens_an_episode_and_leaves_the_waiting_list(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, supervisor: User, referral: Referral
) -> None:
    capacity(referral.team, practitioner)
    capacity(referral.team, supervisor)
    family = referral.family
    mother = family.carers.get()
    CarerFactory(family=family, given_name="Dan", relationship="father", is_main_contact=False)
    baby = family.infants.get()
    client = signed_in(team_lead)
    review = timezone.localdate() + dt.timedelta(days=90)

    response = post(
        client,
        referral,
        lead=str(practitioner.pk),
        co_worker=str(supervisor.pk),
        interventions=[str(intervention(PIP).pk), str(intervention(VIG).pk)],
        participants=[f"infant:{baby.pk}", f"carer:{mother.pk}"],
        **{
            "planned_review_on-day": str(review.day),
            "planned_review_on-month": str(review.month),
            "planned_review_on-year": str(review.year),
        },
    )

    episode = Episode.objects.get(referral=referral)
    assert response.status_code == 302
    assert response["Location"] == f"/episodes/{episode.pk}"
    assert {(w.practitioner, w.role) for w in episode.workers.all()} == {
        (practitioner, WorkerRole.LEAD),
        (supervisor, WorkerRole.CO_WORKER),
    }
    assert set(episode.interventions.values_list("code", flat=True)) == {PIP, VIG}
    assert list(episode.infants.all()) == [baby]
    assert list(episode.carers.all()) == [mother]  # not the father, who was unticked
    assert episode.planned_review_on == review
    assert AuditEvent.objects.filter(action="episode.allocated", object_id=str(episode.pk)).exists()
    flash = [str(m) for m in response.wsgi_request._messages]
    assert flash == [f"{baby.full_name} allocated to Pat Practitioner and Sam Supervisor. An episode of care is open."]
    assert referral.reference not in html(client.get(f"/teams/{referral.team_id}/waiting-list"))


def test_missing_choices_are_asked_for_and_what_was_chosen_is_kept(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, referral: Referral
) -> None:
    capacity(referral.team, practitioner)
    baby = referral.family.infants.get()

    page = html(
        post(
            signed_in(team_lead),
            referral,
            participants=[f"infant:{baby.pk}"],
            override_reason="Typed before choosing",
            **{"planned_review_on-day": "31", "planned_review_on-month": "2", "planned_review_on-year": "2027"},
        )
    )

    assert "<title>Error: Allocate" in page
    assert summary(page) == [
        ("#id_lead", "Select the lead practitioner"),
        ("#id_interventions", "Select at least one intervention"),
        ("#id_planned_review_on-day", "Planned review date must be a real date"),
    ]
    assert re.search(rf'value="infant:{baby.pk}" checked', page)
    assert not re.search(rf'value="carer:{referral.family.carers.get().pk}" checked', page)
    assert "Typed before choosing" in page
    assert 'value="31"' in page
    assert not Episode.objects.exists()


def test_a_review_date_in_the_past_is_refused(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, referral: Referral
) -> None:
    capacity(referral.team, practitioner)
    page = html(
        post(
            signed_in(team_lead),
            referral,
            lead=str(practitioner.pk),
            interventions=[str(intervention(PIP).pk)],
            participants=[f"infant:{referral.family.infants.get().pk}"],
            **{"planned_review_on-day": "1", "planned_review_on-month": "1", "planned_review_on-year": "2020"},
        )
    )
    assert "Planned review date must be today or in the future" in page
    assert not Episode.objects.exists()


def test_the_co_worker_must_be_someone_else(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, referral: Referral
) -> None:
    capacity(referral.team, practitioner)
    page = html(
        post(
            signed_in(team_lead),
            referral,
            lead=str(practitioner.pk),
            co_worker=str(practitioner.pk),
            interventions=[str(intervention(PIP).pk)],
            participants=[f"infant:{referral.family.infants.get().pk}"],
        )
    )
    assert summary(page) == [("#id_co_worker", "Choose a different person as co-worker, or none")]
    assert not Episode.objects.exists()


def test_past_capacity_needs_a_reason_naming_who_would_be_over(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, referral: Referral
) -> None:
    capacity(referral.team, practitioner, maximum="1")
    open_episode(referral.team, practitioner, codes=(VIG,))
    client = signed_in(team_lead)
    baby = referral.family.infants.get()
    data = {
        "lead": str(practitioner.pk),
        "interventions": [str(intervention(PIP).pk)],
        "participants": [f"infant:{baby.pk}"],
        "planned_review_on-day": "1",
        "planned_review_on-month": "6",
        "planned_review_on-year": str(timezone.localdate().year + 1),
    }

    page = html(client.post(url(referral), data))

    message = (
        "Pat Practitioner would have a weighted caseload of 1.75, over their maximum of 1. "
        "Enter a reason to allocate past capacity, or choose someone else"
    )
    assert summary(page) == [("#id_override_reason", message)]
    assert re.search(rf'value="{practitioner.pk}" checked', page)
    assert re.search(rf'value="{intervention(PIP).pk}" checked', page)
    assert 'value="6"' in page
    assert Episode.objects.filter(referral=referral).count() == 0

    response = client.post(url(referral), {**data, "override_reason": "Pat knows the family from before"})

    episode = Episode.objects.get(referral=referral)
    assert response["Location"] == f"/episodes/{episode.pk}"
    event = episode.events.get(kind=EpisodeEvent.Kind.ALLOCATED)
    assert event.note == "Pat knows the family from before"
    assert event.detail["over_capacity"] == "Pat Practitioner"


def test_a_family_already_allocated_says_so_with_a_link_to_the_episode(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, referral: Referral
) -> None:
    capacity(referral.team, practitioner)
    client = signed_in(team_lead)
    page_before = client.get(url(referral))
    assert page_before.status_code == 200
    # Another team lead allocates it first
    episode = open_episode(referral.team, practitioner)
    Episode.objects.filter(pk=episode.pk).update(referral=referral)

    page = html(
        post(
            client,
            referral,
            lead=str(practitioner.pk),
            interventions=[str(intervention(PIP).pk)],
            participants=[f"infant:{referral.family.infants.get().pk}"],
        )
    )

    assert "This family has already been allocated to Pat Practitioner." in page
    assert f'<a href="/episodes/{episode.pk}">See the episode</a>' in page
    assert Episode.objects.filter(referral=referral).count() == 1


def test_a_referral_not_on_the_waiting_list_goes_back_to_it(
    signed_in: Callable[[User], Client], team_lead: User, referral: Referral
) -> None:
    append_status(referral=referral, status=Status.WITHDRAWN, entered_at=timezone.now())
    response = signed_in(team_lead).get(url(referral))
    assert response.status_code == 302
    assert response["Location"] == f"/teams/{referral.team_id}/waiting-list"


def test_no_caseloads_set_says_where_to_set_them(
    signed_in: Callable[[User], Client], team_lead: User, referral: Referral
) -> None:
    page = html(signed_in(team_lead).get(url(referral)))
    assert "nobody to allocate to" in page
    assert f'href="/teams/{referral.team_id}/caseloads"' in page


def test_practitioners_are_refused(signed_in: Callable[[User], Client], practitioner: User, referral: Referral) -> None:
    assert signed_in(practitioner).get(url(referral)).status_code == 403
    assert not AuditEvent.objects.filter(action="referral.allocation_viewed").exists()


def test_outsiders_get_not_found(signed_in: Callable[[User], Client], outsider: User, referral: Referral) -> None:
    assert signed_in(outsider).get(url(referral)).status_code == 404


def test_a_team_lead_cannot_reach_another_teams_referral_through_their_own_team(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    elsewhere = waiting_referral(world.satellite)
    response = signed_in(team_lead).get(f"/teams/{world.hub.pk}/waiting-list/{elsewhere.pk}/allocate")
    assert response.status_code == 404
