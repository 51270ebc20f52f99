"""Changing what an episode offers, who in the family takes part and when it is next reviewed:
through the page (values kept on every refusal) and through the action itself."""

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care import services
from attune.care.models import Episode
from attune.care.tests.factories import intervention
from attune.care.tests.factories_episode import discharge_directly, named_episode
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def details_url(episode: Episode) -> str:
    return f"/episodes/{episode.pk}/details"


def post_data(episode: Episode, **changes: Any) -> dict[str, Any]:
    review = timezone.localdate() + dt.timedelta(days=42)
    data: dict[str, Any] = {
        "interventions": [str(intervention("video-interaction-guidance").pk)],
        "infants": [str(i.pk) for i in episode.family.infants.all()],
        "carers": [str(c.pk) for c in episode.family.carers.all()],
        "planned_review_on-day": str(review.day),
        "planned_review_on-month": str(review.month),
        "planned_review_on-year": str(review.year),
    }
    data.update(changes)
    return data


def test_details_page_shows_what_the_episode_has_now(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    response = signed_in(practitioner).get(details_url(episode))
    assert response.status_code == 200
    page = response.content.decode()
    checked = re.findall(r'value="([^"]+)" checked', page)
    assert str(intervention().pk) in checked
    assert str(episode.family.infants.get().pk) in checked
    assert str(episode.family.carers.get().pk) in checked
    assert AuditEvent.objects.filter(action="episode.viewed", detail__page="details").exists()


def test_changing_the_details_saves_them_and_is_audited(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    dad = CarerFactory(family=episode.family, given_name="Sam", family_name="Hughes", relationship="father")
    client = signed_in(practitioner)
    data = post_data(episode)
    data["carers"] = [str(dad.pk)]

    response = client.post(details_url(episode), data, follow=True)

    assert response.redirect_chain == [(f"/episodes/{episode.pk}", 302)]
    assert "The episode's details are saved." in text(response)
    episode.refresh_from_db()
    assert [i.code for i in episode.interventions.all()] == ["video-interaction-guidance"]
    assert list(episode.carers.all()) == [dad]
    assert episode.planned_review_on == timezone.localdate() + dt.timedelta(days=42)
    event = AuditEvent.objects.get(action="episode.updated")
    assert event.object_id == str(episode.pk)
    assert event.detail["interventions"] == ["video-interaction-guidance"]


def test_no_intervention_is_refused_with_everything_kept(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    data = post_data(episode, interventions=[], **{"planned_review_on-day": "9"})

    response = signed_in(practitioner).post(details_url(episode), data)

    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert page.count("Select at least one intervention") == 2  # the summary and the field
    assert 'value="9"' in response.content.decode()
    assert not AuditEvent.objects.filter(action="episode.updated").exists()
    assert episode.interventions.get().code == "parent-infant-psychotherapy"


def test_a_review_date_in_the_past_is_refused(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    past = timezone.localdate() - dt.timedelta(days=3)
    data = post_data(
        episode,
        **{
            "planned_review_on-day": str(past.day),
            "planned_review_on-month": str(past.month),
            "planned_review_on-year": str(past.year),
        },
    )
    response = signed_in(practitioner).post(details_url(episode), data)
    assert "Planned review date must be today or in the future" in text(response)
    episode.refresh_from_db()
    assert episode.planned_review_on is None


def test_someone_from_another_family_cannot_be_chosen(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    stranger = InfantFactory(family=FamilyFactory(team=world.hub))
    data = post_data(episode, infants=[str(stranger.pk)])
    response = signed_in(practitioner).post(details_url(episode), data)
    assert "Select babies and children from this family" in text(response)
    assert stranger not in episode.infants.all()


def test_a_discharged_episode_cannot_be_changed(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    discharge_directly(episode, practitioner)
    client = signed_in(practitioner)
    response = client.post(details_url(episode), post_data(episode), follow=True)
    assert response.redirect_chain == [(f"/episodes/{episode.pk}", 302)]
    assert "This episode is closed. Reopen it before changing it." in text(response)
    assert episode.interventions.get().code == "parent-infant-psychotherapy"


# The action -----------------------------------------------------------------------------------


def test_update_episode_refuses_what_the_rules_forbid(practitioner: User, world: World) -> None:
    episode = named_episode(world.hub, practitioner)
    actor = acting(practitioner)
    family = episode.family
    kept = [intervention()]
    with pytest.raises(services.CareError, match="Select at least one intervention"):
        services.update_episode(
            actor=actor, episode=episode, interventions=[], infants=[], carers=[], planned_review_on=None
        )
    other = InfantFactory(family=FamilyFactory(team=world.hub))
    with pytest.raises(services.CareError, match="Choose only people in this family"):
        services.update_episode(
            actor=actor, episode=episode, interventions=kept, infants=[other], carers=[], planned_review_on=None
        )
    with pytest.raises(services.CareError, match="must be today or in the future"):
        services.update_episode(
            actor=actor,
            episode=episode,
            interventions=kept,
            infants=list(family.infants.all()),
            carers=[],
            planned_review_on=timezone.localdate() - dt.timedelta(days=1),
        )
    discharge_directly(episode, practitioner)
    with pytest.raises(services.CareError, match="closed"):
        services.update_episode(
            actor=actor, episode=episode, interventions=kept, infants=[], carers=[], planned_review_on=None
        )
    assert not AuditEvent.objects.filter(action="episode.updated").exists()


def test_an_overdue_review_date_may_stay_while_other_details_change(practitioner: User, world: World) -> None:
    episode = named_episode(world.hub, practitioner)
    overdue = timezone.localdate() - dt.timedelta(days=10)
    Episode.objects.filter(pk=episode.pk).update(planned_review_on=overdue)
    episode.refresh_from_db()
    services.update_episode(
        actor=acting(practitioner),
        episode=episode,
        interventions=[intervention("circle-of-security")],
        infants=[],
        carers=list(episode.family.carers.all()),
        planned_review_on=overdue,
    )
    episode.refresh_from_db()
    assert episode.planned_review_on == overdue
    assert list(episode.infants.all()) == []
