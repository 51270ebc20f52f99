"""The practitioner's questionnaire-link pages: sending (and what the confirmation shows),
the episode's links with their status, withdrawing one, answers waiting for review, refusals
and scoping, and a query count that holds for 1 link and for 200."""

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode
from attune.care.tests.factories import open_episode
from attune.core.models import AuditEvent
from attune.families.codes import ContactPreference
from attune.families.tests.factories import UnbornInfantFactory
from attune.notifications.models import Message
from attune.organisations.tests.world import World
from attune.outcomes import links
from attune.outcomes.models import LicensedWording, QuestionnaireLink
from attune.outcomes.tests.factories_links import answers, load_wording, parent_request, send, staff_request


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def episode(world: World, practitioner: User) -> Episode:
    return open_episode(world.hub, practitioner, opened_at=timezone.now() - dt.timedelta(days=30))


def new_url(episode: Episode) -> str:
    return f"/episodes/{episode.pk}/questionnaire-links/new"


def list_url(episode: Episode) -> str:
    return f"/episodes/{episode.pk}/questionnaire-links"


def test_sending_a_link_by_text(signed_in: Callable[[User], Client], practitioner: User, episode: Episode) -> None:
    client = signed_in(practitioner)
    mum = episode.carers.get()
    page = text(client.get(new_url(episode)))
    assert "Send a questionnaire link" in page
    assert mum.full_name in page
    assert "Patient Health Questionnaire" in page
    assert "Alarm Distress Baby Scale" not in page  # observed by a clinician, not answered by a parent
    # The EPDS ships without its wording: not offered, and the page says why.
    assert (
        "The EPDS wording is not loaded. Ask your system administrator to load your service's licensed copy, "
        "or enter the answers from the printed form." in page
    )
    assert 'value="EPDS"' not in client.get(new_url(episode)).content.decode()
    assert 'value="PHQ9"' in client.get(new_url(episode)).content.decode()
    assert AuditEvent.objects.filter(action="episode.viewed", detail__page="send_questionnaire_link").exists()

    response = client.post(
        new_url(episode),
        {"carer": str(mum.pk), "instruments": ["PHQ9", "GAD7"], "time_point": "assessment"},
        follow=True,
    )

    link = QuestionnaireLink.objects.get()
    assert response.redirect_chain == [(f"/episodes/{episode.pk}/questionnaire-links/{link.pk}/sent", 302)]
    page = text(response)
    assert "Link sent" in page
    assert "Text message to 07700 900123 (waiting to send)" in page
    assert "/q/" not in response.content.decode()  # the link itself is not shown when it was sent
    message = Message.objects.get()
    assert message.to == "07700 900123"
    assert AuditEvent.objects.filter(action="questionnaire_link.viewed", detail__link_shown=False).exists()


def test_when_the_message_is_withheld_the_link_is_shown_once(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    mum = episode.carers.get()
    mum.contact_preference = ContactPreference.NONE
    mum.save()
    client = signed_in(practitioner)

    response = client.post(
        new_url(episode), {"carer": str(mum.pk), "instruments": ["PHQ9"], "time_point": "review"}, follow=True
    )

    page = text(response)
    assert "Link created, but not sent" in page
    assert "The family asked not to be contacted directly" in page
    found = re.search(r'value="(http://testserver/q/[^"]+)"', response.content.decode())
    assert found is not None
    token = found.group(1).rsplit("/", 1)[1]
    assert links.open_link(token) == QuestionnaireLink.objects.get()
    assert AuditEvent.objects.filter(action="questionnaire_link.viewed", detail__link_shown=True).exists()

    again = client.get(response.redirect_chain[-1][0])
    assert token not in again.content.decode()
    assert "The link is no longer shown" in text(again)


def test_a_form_with_nothing_chosen_says_what_is_missing(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    page = text(signed_in(practitioner).post(new_url(episode), {}))
    assert "There is a problem" in page
    assert "Select who the link is for" in page
    assert "Select at least one questionnaire" in page
    assert "Select the time point" in page
    assert not QuestionnaireLink.objects.exists()


def test_a_refused_link_is_explained_and_the_choices_kept(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    baby = episode.infants.get()
    baby.date_of_birth = timezone.localdate() - dt.timedelta(days=600)
    baby.save()
    load_wording("KPCS")  # the service holds the KPCS wording, so it can go by link
    mum = episode.carers.get()
    response = signed_in(practitioner).post(
        new_url(episode), {"carer": str(mum.pk), "instruments": ["KPCS", "GAD7"], "time_point": "review"}
    )
    html = response.content.decode()
    assert "is for babies aged 0 to 12 months; this baby is 19 months old" in text(response)
    assert re.search(r'value="GAD7"\s+checked', html)
    assert re.search(r'value="review"\s+checked', html)
    assert not QuestionnaireLink.objects.exists()


def test_the_episode_links_show_each_status_and_answers_to_review(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    waiting, _ = send(episode, practitioner, codes=["GAD7"])
    used, _ = send(episode, practitioner, codes=["PHQ9"])
    links.submit(link=used, answers_by_instrument={"PHQ9": answers("PHQ9", 1)}, actor=parent_request())
    withdrawn, _ = send(episode, practitioner, codes=["CORE10"])
    links.revoke_link(actor=staff_request(practitioner), link=withdrawn)
    expired, _ = send(episode, practitioner, codes=["PBQ"])
    QuestionnaireLink.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - dt.timedelta(days=9), expires_at=timezone.now() - dt.timedelta(days=2)
    )

    response = signed_in(practitioner).get(list_url(episode))

    page = text(response)
    for status in ("Waiting", "Answered", "Withdrawn", "Expired"):
        assert status in page
    html = response.content.decode()
    assert html.count(">Withdraw<span") == 1
    assert f"/questionnaire-links/{waiting.pk}/revoke" in html
    assert "Answers waiting for your review" in page
    administration = used.episode.administrations.get()
    assert f'href="/measures/{administration.pk}"' in html
    assert AuditEvent.objects.filter(action="episode.viewed", detail__page="questionnaire_links").exists()


def test_withdrawing_a_link(signed_in: Callable[[User], Client], practitioner: User, episode: Episode) -> None:
    link, _token = send(episode, practitioner)
    client = signed_in(practitioner)
    assert client.get(f"{list_url(episode)}/{link.pk}/revoke").status_code == 405

    response = client.post(f"{list_url(episode)}/{link.pk}/revoke", follow=True)

    assert response.redirect_chain == [(list_url(episode), 302)]
    assert f"The link for {link.carer.full_name} is withdrawn. It no longer opens." in text(response)
    link.refresh_from_db()
    assert link.revoked_by == practitioner
    again = client.post(f"{list_url(episode)}/{link.pk}/revoke", follow=True)
    assert "This link has already been withdrawn" in text(again)


def test_outsiders_get_404_everywhere(
    signed_in: Callable[[User], Client], practitioner: User, outsider: User, episode: Episode
) -> None:
    link, _ = send(episode, practitioner)
    client = signed_in(outsider)
    assert client.get(new_url(episode)).status_code == 404
    assert client.get(list_url(episode)).status_code == 404
    assert client.get(f"{list_url(episode)}/{link.pk}/sent").status_code == 404
    assert client.post(f"{list_url(episode)}/{link.pk}/revoke").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    assert AuditEvent.objects.filter(action="access.refused", actor=outsider).count() == 4


def test_a_link_of_another_episode_is_not_found(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode, world: World
) -> None:
    other = open_episode(world.hub, practitioner)
    link, _ = send(other, practitioner)
    client = signed_in(practitioner)
    assert client.post(f"{list_url(episode)}/{link.pk}/revoke").status_code == 404
    assert client.get(f"{list_url(episode)}/{link.pk}/sent").status_code == 404


def _many_links(episode: Episode, by: User, count: int) -> None:
    carer = episode.carers.get()
    made = QuestionnaireLink.objects.bulk_create(
        QuestionnaireLink(
            episode=episode,
            carer=carer,
            infant=None,
            instruments=["PHQ9", "GAD7"],
            time_point="review",
            token_hash=f"{count:08x}{n:056x}",
            sent_by=by,
            expires_at=timezone.now() + dt.timedelta(days=1 + n % 7),
            used_at=timezone.now() if n % 7 == 3 else None,
            revoked_at=timezone.now() if n % 5 == 0 else None,
            revoked_by=by if n % 5 == 0 else None,
        )
        for n in range(count)
    )
    Message.objects.bulk_create(
        Message(
            channel="sms",
            to="07700 900123",
            recipient="Mother",
            template="questionnaire_link",
            body="…",
            about_type="outcomes.questionnairelink",
            about_id=str(link.pk),
        )
        for link in made
    )


def test_the_list_takes_the_same_queries_for_1_link_and_200(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    client = signed_in(practitioner)
    counts = []
    for count in (1, 200):
        episode = open_episode(world.hub, practitioner)
        _many_links(episode, practitioner, count)
        client.get(list_url(episode))  # warm the session and scope caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url(episode))
        assert response.status_code == 200
        assert text(response).count("Withdrawn") >= count // 5
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_forced_post_of_a_measure_without_its_wording_is_refused_saying_why(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    client = signed_in(practitioner)
    mum = episode.carers.get()
    data = {"carer": str(mum.pk), "instruments": ["PHQ9", "EPDS"], "time_point": "assessment"}
    response = client.post(new_url(episode), data)
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "The EPDS wording is not loaded. Ask your system administrator" in page
    assert not QuestionnaireLink.objects.exists()
    assert not Message.objects.exists()

    LicensedWording.objects.create(
        instrument="EPDS", items={str(n): f"Wording {n}" for n in range(1, 11)}, licence_note="Held", loaded_by="test"
    )
    assert "The EPDS wording is not loaded" not in text(client.get(new_url(episode)))
    assert client.post(new_url(episode), data).status_code == 302
    assert set(QuestionnaireLink.objects.get().instruments) == {"PHQ9", "EPDS"}


def test_for_an_unborn_baby_the_pages_speak_of_the_due_date(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    episode.infants.all().delete()
    unborn = UnbornInfantFactory(family=episode.family, family_name="Ashworth", given_name="")
    episode.infants.set([unborn])
    client = signed_in(practitioner)
    page = text(client.get(new_url(episode)))
    assert "They confirm their baby's due date" in page
    assert "Patient Health Questionnaire" in page
    mum = episode.carers.get()
    response = client.post(
        new_url(episode), {"carer": str(mum.pk), "instruments": ["PHQ9"], "time_point": "assessment"}, follow=True
    )
    page = text(response)
    assert "Due date to confirm The baby's due date" in page
    assert "Date of birth to confirm" not in page
    assert "(unborn)'s" not in page
    assert "your baby's due date first" in Message.objects.get().body
    # The PBQ is for after the birth: not sent for a baby not born yet.
    refused = client.post(new_url(episode), {"carer": str(mum.pk), "instruments": ["PBQ"], "time_point": "assessment"})
    assert "is for after the birth, and this baby is not born yet" in text(refused)
    assert QuestionnaireLink.objects.count() == 1
