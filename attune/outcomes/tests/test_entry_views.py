"""Staff entry pages: choosing a measure (only those that fit, with reasons for those left out),
one page per measure with every answer kept on error, the result at once (score, band, change
since the baseline, alerts), scoped to the episode's team and audited."""

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode
from attune.core.models import AuditEvent, Task, TaskKind
from attune.core.testing.queries import assert_flat, create_in_bulk, growing, growing_in_bulk
from attune.families.models import FamilyAlert
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World
from attune.outcomes.models import Administration, LicensedWording, Source
from attune.outcomes.services import record_administration
from attune.outcomes.tests.entry_helpers import answers, episode_with_baby


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def episode(world: World, practitioner: User) -> Episode:
    return episode_with_baby(world.hub, practitioner, months=30)


def _post_answers(code: str, given: list[int | None], **extra: str) -> dict[str, str]:
    today = timezone.localdate()
    data = {f"item_{n}": str(a) for n, a in enumerate(given, start=1) if a is not None}
    data.update(
        {
            "completed_on-day": str(today.day),
            "completed_on-month": str(today.month),
            "completed_on-year": str(today.year),
            "time_point": "assessment",
        }
    )
    data.update(extra)
    return data


def test_choose_lists_the_measures_that_fit_with_reasons_for_those_left_out(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    carer = episode.carers.get()
    infant = episode.infants.get()
    response = signed_in(practitioner).get(f"/episodes/{episode.pk}/measures/new?time_point=review")
    assert response.status_code == 200
    page = text(response)
    body = response.content.decode()
    assert f"/episodes/{episode.pk}/measures/new/phq9?carer={carer.pk}&amp;time_point=review" in body
    # The baby is 30 months old: too old for the ADBB (2 to 24 months), fine for the ASQ:SE-2.
    assert f"measures/new/adbb?infant={infant.pk}" not in body
    assert f"{infant.display_name} is 30 months old; the" in page
    assert "is for babies aged 2 to 24 months" in page
    assert f"measures/new/asqse2?infant={infant.pk}" in body
    assert f"measures/new/pbq?carer={carer.pk}&amp;infant={infant.pk}" in body
    assert AuditEvent.objects.filter(action="outcomes.measure_chosen_viewed", object_id=str(episode.pk)).exists()


def _check_url(url: str) -> str:
    path, _, query = url.partition("?")
    return f"{path}/check?{query}" if query else f"{path}/check"


def test_entering_a_phq9_shows_the_score_band_and_alert(
    signed_in: Callable[[User], Client], practitioner: User, team_lead: User, episode: Episode
) -> None:
    carer = episode.carers.get()
    client = signed_in(practitioner)
    url = f"/episodes/{episode.pk}/measures/new/phq9?carer={carer.pk}"
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert "Thoughts that you would be better off dead" in text(form_page)
    given = answers("PHQ9", {1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 9: 1})
    response = client.post(url, _post_answers("PHQ9", given))
    # First the check page: nothing is saved yet.
    assert response.status_code == 302
    assert response["Location"] == _check_url(url)
    assert Administration.objects.count() == 0
    response = client.post(response["Location"])
    stored = Administration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/measures/{stored.pk}"
    assert stored.source == Source.STAFF
    assert stored.carer == carer
    assert stored.entered_by == practitioner
    assert stored.answers == given
    page = text(client.get(response["Location"]))
    assert "11 out of 27" in page
    assert "Moderate" in page
    assert "PHQ-9 item 9" in page
    assert "This is the baseline" in page
    assert "data-risk-alerts" in client.get(response["Location"]).content.decode()  # the banner
    assert Task.objects.filter(kind=TaskKind.RISK_ALERT, assignee=team_lead).exists()
    assert AuditEvent.objects.filter(action="outcomes.administration_viewed", object_id=str(stored.pk)).exists()


def test_the_check_step_shows_each_answer_with_its_score_and_saves_only_when_confirmed(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    carer = episode.carers.get()
    client = signed_in(practitioner)
    url = f"/episodes/{episode.pk}/measures/new/epds?carer={carer.pk}"
    # Item 10 keyed as the fourth printed answer: reverse scored, so it scores 0 and no alert.
    given = answers("EPDS", {1: 2, 3: 1})
    given[9] = 3
    check = client.get(client.post(url, _post_answers("EPDS", given))["Location"])
    assert check.status_code == 200
    page, body = text(check), check.content.decode()
    assert "Check the answers before saving them" in page
    assert "Item 1 Response 3 (third printed) Score: 2" in page
    assert "Item 3 Response 3 (third printed) Score: 1" in page
    # The risk question stands out with the answer chosen and its score, though it raises nothing.
    assert 'data-risk-item="10"' in body
    assert "Risk question 10: no risk alert" in page
    assert "Answer: Response 4 (fourth printed). Score: 0." in page
    assert "reverse scored" in page
    assert Administration.objects.count() == 0
    assert client.get(_check_url(url)).status_code == 200  # a reload saves nothing either
    assert Administration.objects.count() == 0
    assert AuditEvent.objects.filter(action="outcomes.measure_check_viewed").exists()

    response = client.post(_check_url(url))
    stored = Administration.objects.get()
    assert response["Location"] == f"/measures/{stored.pk}"
    assert stored.answers == given
    assert stored.total == 3
    # Saved once: the draft is gone, so the check page sends the practitioner back to the form.
    assert client.post(_check_url(url))["Location"] == url
    assert Administration.objects.count() == 1


def test_a_risk_answer_that_raises_an_alert_is_called_out_on_the_check_page(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    carer = episode.carers.get()
    client = signed_in(practitioner)
    url = f"/episodes/{episode.pk}/measures/new/phq9?carer={carer.pk}"
    check = client.get(client.post(url, _post_answers("PHQ9", answers("PHQ9", {9: 2})))["Location"])
    page = text(check)
    assert "Risk question 9: raises a risk alert" in page
    assert "Answer: More than half the days. Score: 2." in page
    assert "nhsuk-warning-callout" in check.content.decode() or "nhsuk-card--warning" in check.content.decode()
    assert Administration.objects.count() == 0


def test_change_goes_back_to_the_form_with_every_answer_kept(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    carer = episode.carers.get()
    client = signed_in(practitioner)
    url = f"/episodes/{episode.pk}/measures/new/phq9?carer={carer.pk}&time_point=review"
    given = answers("PHQ9", {1: 3, 2: 1, 5: 2})
    data = _post_answers("PHQ9", given, time_point="review")
    check = client.get(client.post(url, data)["Location"])
    change = f"/episodes/{episode.pk}/measures/new/phq9?carer={carer.pk}&amp;time_point=review&amp;change=1#id_item_2"
    assert change in check.content.decode()

    form = client.get(unescape(change).split("#")[0])
    body = form.content.decode()
    checked = re.findall(r'<input[^>]*name="(item_\d+)"[^>]*value="(\d)"[^>]*checked', body)
    assert sorted(checked) == sorted((f"item_{n}", str(a)) for n, a in enumerate(given, start=1))
    assert re.search(r'<input[^>]*name="time_point"[^>]*value="review"[^>]*checked', body)
    assert f'value="{timezone.localdate().day}"' in body
    assert "There is a problem" not in text(form)

    # Change one answer; the check page shows the new one, and saving stores it.
    data["item_2"] = "3"
    client.post(url, data)
    assert "Score: 3" in text(client.get(_check_url(url)))
    client.post(_check_url(url))
    assert Administration.objects.get().answers[1] == 3


def test_a_later_measure_shows_change_since_the_baseline_with_reliable_change(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    carer = episode.carers.get()
    common = {"actor": None, "episode": episode, "instrument": "PHQ9", "source": Source.STAFF, "carer": carer}
    record_administration(
        answers=answers("PHQ9", {1: 3, 2: 3, 3: 3, 4: 3, 5: 3}),
        time_point="assessment",
        completed_on=timezone.localdate() - dt.timedelta(days=20),
        **common,  # type: ignore[arg-type]
    )
    later = record_administration(
        answers=answers("PHQ9", {1: 1, 2: 1}),
        time_point="review",
        completed_on=timezone.localdate(),
        **common,  # type: ignore[arg-type]
    )
    page = text(signed_in(practitioner).get(f"/measures/{later.pk}"))
    assert "Baseline 15 on" in page
    assert "-13 points" in page
    assert "Reliable improvement (threshold 6 points)" in page


def test_bad_input_keeps_every_answer_and_names_the_items(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    carer = episode.carers.get()
    client = signed_in(practitioner)
    given = answers("PHQ9", {1: 3, 2: 1}, missing=(4,))
    response = client.post(f"/episodes/{episode.pk}/measures/new/phq9?carer={carer.pk}", _post_answers("PHQ9", given))
    assert response.status_code == 200
    body = response.content.decode()
    page = text(response)
    assert "There is a problem" in page
    assert "Answer question 4: Feeling tired or having little energy" in page
    assert 'href="#id_item_4"' in body
    # Every answer given is still chosen (8 of the 9 items were answered).
    checked = re.findall(r'<input[^>]*name="(item_\d+)"[^>]*value="(\d)"[^>]*checked', body)
    assert ("item_1", "3") in checked
    assert ("item_2", "1") in checked
    assert len(checked) == 8
    assert Administration.objects.count() == 0
    assert AuditEvent.objects.filter(action="outcomes.measure_entry_refused").exists()


def test_a_rating_of_101_is_refused_and_kept(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    carer, infant = episode.carers.get(), episode.infants.get()
    response = signed_in(practitioner).post(
        f"/episodes/{episode.pk}/measures/new/pirgas?carer={carer.pk}&infant={infant.pk}",
        _post_answers("PIRGAS", [101]),
    )
    body = response.content.decode()
    assert "Enter a rating from 1 to 100" in text(response)
    assert 'value="101"' in body
    assert 'min="1"' in body
    assert 'max="100"' in body
    assert Administration.objects.count() == 0


def test_a_refusal_from_the_action_is_shown_on_the_form_with_the_answers_kept(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    carer = episode.carers.get()
    client = signed_in(practitioner)
    early = timezone.localdate() - dt.timedelta(days=90)
    data = _post_answers("PHQ9", answers("PHQ9", {1: 2}))
    data.update(
        {
            "completed_on-day": str(early.day),
            "completed_on-month": str(early.month),
            "completed_on-year": str(early.year),
        }
    )
    url = f"/episodes/{episode.pk}/measures/new/phq9?carer={carer.pk}"
    client.post(url, data)
    response = client.post(_check_url(url))
    assert response.status_code == 200
    assert "on or after the day the episode opened" in text(response)
    body = response.content.decode()
    assert f'value="{early.day}"' in body
    assert re.search(r'<input[^>]*name="item_1"[^>]*value="2"[^>]*checked', body)
    assert Administration.objects.count() == 0
    assert AuditEvent.objects.filter(action="outcomes.measure_entry_refused").exists()


def test_epds_without_licensed_wording_shows_item_numbers_and_positions(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    carer = episode.carers.get()
    client = signed_in(practitioner)
    page = text(client.get(f"/episodes/{episode.pk}/measures/new/epds?carer={carer.pk}"))
    assert "Item 3" in page
    assert "Response 1 (first printed)" in page
    assert "You need the printed form" in page
    assert "The EPDS wording is not loaded" in page
    # An error names the question by its number alone: there is no wording to name it by.
    response = client.post(
        f"/episodes/{episode.pk}/measures/new/epds?carer={carer.pk}",
        _post_answers("EPDS", answers("EPDS", missing=(3,))),
    )
    assert "Answer question 3" in text(response)
    assert "Answer question 3:" not in text(response)
    LicensedWording.objects.create(
        instrument="EPDS",
        items={str(n): f"Licensed wording {n}" for n in range(1, 11)},
        licence_note="Licence",
        loaded_by="test",
    )
    page = text(client.get(f"/episodes/{episode.pk}/measures/new/epds?carer={carer.pk}"))
    assert "Licensed wording 3" in page
    assert "You need the printed form" not in page
    response = client.post(
        f"/episodes/{episode.pk}/measures/new/epds?carer={carer.pk}",
        _post_answers("EPDS", answers("EPDS", missing=(3,))),
    )
    assert "Answer question 3: Licensed wording 3" in text(response)


def test_asqse2_asks_the_interval_used(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    infant = episode.infants.get()
    client = signed_in(practitioner)
    url = f"/episodes/{episode.pk}/measures/new/asqse2?infant={infant.pk}"
    assert "Which ASQ:SE-2 age interval was used?" in text(client.get(url))
    response = client.post(url, _post_answers("ASQSE2", [40]))
    assert "Select the ASQ:SE-2 age interval used" in text(response)
    response = client.post(url, _post_answers("ASQSE2", [40], bands_key="30 months"))
    assert response.status_code == 302
    assert "ASQ:SE-2 age interval 30 months" in text(client.get(response["Location"]))
    assert client.post(response["Location"]).status_code == 302
    assert Administration.objects.get().total == 40


def test_strangers_get_404_and_people_from_elsewhere_in_the_episode_too(
    signed_in: Callable[[User], Client], practitioner: User, outsider: User, world: World, episode: Episode
) -> None:
    carer = episode.carers.get()
    stored = record_administration(
        actor=None,
        episode=episode,
        instrument="PHQ9",
        answers=answers("PHQ9", {9: 1}),
        time_point="assessment",
        completed_on=timezone.localdate(),
        source=Source.STAFF,
        carer=carer,
    )
    alert = FamilyAlert.objects.get()
    client = signed_in(outsider)
    for path in (
        f"/episodes/{episode.pk}/measures/new",
        f"/episodes/{episode.pk}/measures/new/phq9?carer={carer.pk}",
        f"/measures/{stored.pk}",
        f"/measures/{stored.pk}/alerts/{alert.pk}",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/measures/{stored.pk}/alerts/{alert.pk}", {"action": "x"}).status_code == 404
    FamilyAlert.objects.get(closed_at__isnull=True)
    # Another family's carer, or an unknown measure, in the practitioner's own episode: 404.
    mine = signed_in(practitioner)
    stranger = CarerFactory(family=FamilyFactory(team=world.hub))
    assert mine.get(f"/episodes/{episode.pk}/measures/new/phq9?carer={stranger.pk}").status_code == 404
    assert mine.get(f"/episodes/{episode.pk}/measures/new/nope").status_code == 404


def test_choose_query_count_does_not_grow_with_people(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    client = signed_in(practitioner)

    def add(count: int) -> None:
        episode.carers.add(*create_in_bulk(CarerFactory, ({"family": episode.family} for _ in range(count))))
        babies = ({"family": episode.family, "given_name": "Baby"} for _ in range(count))
        episode.infants.add(*create_in_bulk(InfantFactory, babies))

    def fetch() -> None:
        assert client.get(f"/episodes/{episode.pk}/measures/new").status_code == 200

    assert_flat(grow=growing_in_bulk(add, lambda: episode.carers.count()), fetch=fetch)


def test_result_query_count_does_not_grow_with_earlier_measures_and_alerts(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    client = signed_in(practitioner)
    carer = episode.carers.get()

    def add() -> None:
        record_administration(
            actor=None,
            episode=episode,
            instrument="PBQ",
            answers=answers("PBQ", {18: 1, 24: 1}),
            time_point="review",
            completed_on=timezone.localdate(),
            source=Source.STAFF,
            carer=carer,
            infant=episode.infants.get(),
        )

    add()
    latest = Administration.objects.get()

    def fetch() -> None:
        assert client.get(f"/measures/{latest.pk}").status_code == 200

    assert_flat(grow=growing(add, lambda: FamilyAlert.objects.count()), fetch=fetch)


def test_the_result_shows_each_answer_with_its_score_and_the_risk_question_whatever_it_scored(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    carer = episode.carers.get()
    given = answers("EPDS", {1: 2})
    given[9] = 3  # item 10 keyed as the fourth printed answer: scores 0, raises no alert
    stored = record_administration(
        actor=None,
        episode=episode,
        instrument="EPDS",
        answers=given,
        time_point="assessment",
        completed_on=timezone.localdate(),
        source=Source.STAFF,
        carer=carer,
    )
    assert not FamilyAlert.objects.exists()
    response = signed_in(practitioner).get(f"/measures/{stored.pk}")
    page, body = text(response), response.content.decode()
    assert "Question Answer Score" in page
    assert "Item 1 Response 3 (third printed) 2" in page
    assert 'data-risk-item="10"' in body
    assert "Risk question 10: no risk alert" in page
    assert "Answer: Response 4 (fourth printed). Score: 0." in page
