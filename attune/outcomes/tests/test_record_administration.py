"""record_administration: the one way a measure is stored. Every rule and every refusal, with
nothing stored when it refuses, and every risk rule raising an alert on the family and tasks
for the episode's practitioners and the team's leads."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode
from attune.core.actors import Actor
from attune.core.models import AuditEvent, Task, TaskKind
from attune.core.testing.actors import acting
from attune.families.models import FamilyAlert, Infant
from attune.families.tests.factories import CarerFactory, FamilyFactory
from attune.organisations.tests.world import World
from attune.outcomes import services
from attune.outcomes.models import Administration, LicensedWording, LoadedBands, Source
from attune.outcomes.services import OutcomeError, record_administration
from attune.outcomes.tests.entry_helpers import answers, episode_with_baby

TODAY = timezone.localdate


def _request(user: User) -> Actor:
    return acting(user, ip="127.0.0.1")


def _counts() -> tuple[int, int, int]:
    return Administration.objects.count(), FamilyAlert.objects.count(), Task.objects.count()


@pytest.fixture
def episode(world: World, practitioner: User, team_lead: User) -> Episode:
    return episode_with_baby(world.hub, practitioner, months=6)


@pytest.fixture
def record(episode: Episode, practitioner: User) -> Callable[..., Administration]:
    def _record(code: str, given: list[int | None], **kwargs: object) -> Administration:
        about = {"carer": episode.carers.get()} if code not in ("ADBB", "ASQSE2") else {}
        if code in ("ADBB", "ASQSE2", "PBQ", "PIRGAS"):
            about["infant"] = episode.infants.get()
        params: dict[str, object] = {
            "actor": _request(practitioner),
            "episode": episode,
            "instrument": code,
            "answers": given,
            "time_point": "assessment",
            "completed_on": TODAY(),
            "source": Source.STAFF,
            **about,
            **kwargs,
        }
        return record_administration(**params)  # type: ignore[arg-type]

    return _record


def test_stores_the_answers_and_the_result_with_an_audit_event(
    record: Callable[..., Administration], practitioner: User
) -> None:
    stored = record("PHQ9", answers("PHQ9", {1: 2, 2: 2, 3: 2, 4: 1}))
    stored.refresh_from_db()
    assert stored.total == Decimal("7")
    assert stored.band == "Mild"
    assert stored.alerts == []
    assert stored.complete is True
    assert stored.above_cutoff is False
    assert stored.entered_by == practitioner
    assert stored.answers == answers("PHQ9", {1: 2, 2: 2, 3: 2, 4: 1})
    assert FamilyAlert.objects.count() == 0
    assert Task.objects.filter(kind=TaskKind.RISK_ALERT).count() == 0
    event = AuditEvent.objects.get(action="outcomes.administration_recorded")
    assert event.object_id == str(stored.pk)
    assert event.actor == practitioner


def test_reverse_scored_items_and_subscales_are_stored(record: Callable[..., Administration]) -> None:
    # PBQ item 1 is positive (Always = 0 ... Never = 5): the last printed option scores 5.
    given = answers("PBQ")
    given[0] = 5
    stored = record("PBQ", given)
    assert stored.total == Decimal("5")
    assert stored.subscales["Impaired bonding"] == 5
    assert stored.subscales["Risk of abuse"] == 0


RISK_CASES = [
    ("EPDS", {10: 1}, "EPDS item 10"),
    ("PHQ9", {9: 1}, "PHQ-9 item 9"),
    ("CORE10", {6: 1}, "CORE-10 item 6"),
    ("PBQ", {18: 1}, "PBQ item 18"),
    ("PBQ", {24: 1}, "PBQ item 24"),
    ("ADBB", {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, "ADBB total of 5 or more"),
]


@pytest.mark.parametrize(("code", "scores", "words"), RISK_CASES, ids=[f"{c[0]}-{c[2]}" for c in RISK_CASES])
def test_each_risk_rule_raises_an_alert_and_tasks_for_the_practitioners_and_team_leads(
    code: str,
    scores: dict[int, int],
    words: str,
    world: World,
    practitioner: User,
    team_lead: User,
    coordinator: User,
) -> None:
    from attune.organisations.tests.factories import MembershipFactory, UserFactory

    co_worker = UserFactory(full_name="Cole Worker")
    MembershipFactory(user=co_worker, role="practitioner", team=world.hub)
    episode = episode_with_baby(world.hub, practitioner, months=6, co_worker=co_worker)
    about = {"carer": episode.carers.get()} if code != "ADBB" else {}
    if code in ("ADBB", "PBQ"):
        about["infant"] = episode.infants.get()
    stored = record_administration(
        actor=_request(practitioner),  # type: ignore[arg-type]
        episode=episode,
        instrument=code,
        answers=answers(code, scores),
        time_point="review",
        completed_on=TODAY(),
        source=Source.STAFF,
        **about,  # type: ignore[arg-type]
    )
    assert len(stored.alerts) == 1
    assert words in stored.alerts[0]
    alert = FamilyAlert.objects.get()
    assert alert.family == episode.family
    assert alert.message == stored.alerts[0]
    assert (alert.about_type, alert.about_id) == ("outcomes.administration", str(stored.pk))
    assert alert.url == f"/measures/{stored.pk}/alerts/{alert.pk}"
    assert alert.closed_at is None
    tasks = Task.objects.filter(kind=TaskKind.RISK_ALERT)
    assert {task.assignee for task in tasks} == {practitioner, co_worker, team_lead}
    assert all(task.urgent and task.url == alert.url and task.about_id == str(alert.pk) for task in tasks)
    assert AuditEvent.objects.filter(action="family_alert.raised", object_id=str(alert.pk)).exists()


def test_no_alert_when_the_risk_item_is_zero(record: Callable[..., Administration]) -> None:
    record("EPDS", answers("EPDS", {1: 3, 2: 3, 3: 3, 4: 3}))
    assert FamilyAlert.objects.count() == 0
    assert Task.objects.count() == 0


def test_two_risk_items_raise_two_alerts(record: Callable[..., Administration], practitioner: User) -> None:
    record("PBQ", answers("PBQ", {18: 2, 24: 3}))
    assert FamilyAlert.objects.count() == 2
    assert Task.objects.filter(kind=TaskKind.RISK_ALERT, assignee=practitioner).count() == 2


def _refused(call: Callable[[], object], field: str, words: str) -> None:
    before = _counts()
    with pytest.raises(OutcomeError) as raised:
        call()
    assert raised.value.field == field
    assert words in raised.value.message
    assert _counts() == before


def test_refuses_an_unknown_measure(record: Callable[..., Administration]) -> None:
    _refused(lambda: record("NOPE", [0]), "instrument", "Choose a measure")


def test_refuses_an_unknown_time_point(record: Callable[..., Administration]) -> None:
    _refused(lambda: record("PHQ9", answers("PHQ9"), time_point="sometime"), "time_point", "Choose the time point")


def test_refuses_an_unknown_source(record: Callable[..., Administration]) -> None:
    _refused(lambda: record("PHQ9", answers("PHQ9"), source="fax"), "", "source")


def test_refuses_a_date_in_the_future(record: Callable[..., Administration]) -> None:
    tomorrow = TODAY() + dt.timedelta(days=1)
    _refused(lambda: record("PHQ9", answers("PHQ9"), completed_on=tomorrow), "completed_on", "today or in the past")


def test_refuses_a_date_before_the_episode_opened(record: Callable[..., Administration]) -> None:
    early = TODAY() - dt.timedelta(days=60)
    _refused(lambda: record("PHQ9", answers("PHQ9"), completed_on=early), "completed_on", "episode opened")


def test_refuses_a_carer_measure_without_a_carer(record: Callable[..., Administration]) -> None:
    _refused(lambda: record("PHQ9", answers("PHQ9"), carer=None), "carer", "Choose the parent or carer")


def test_refuses_the_wrong_carer(record: Callable[..., Administration], world: World) -> None:
    stranger = CarerFactory(family=FamilyFactory(team=world.hub))
    _refused(lambda: record("PHQ9", answers("PHQ9"), carer=stranger), "carer", "not taking part in this episode")


def test_refuses_an_infant_measure_without_a_baby(record: Callable[..., Administration]) -> None:
    _refused(lambda: record("ADBB", answers("ADBB"), infant=None), "infant", "Choose the baby")


def test_refuses_a_baby_outside_the_measures_age_range(record: Callable[..., Administration], episode: Episode) -> None:
    infant = episode.infants.get()
    Infant.objects.filter(pk=infant.pk).update(date_of_birth=TODAY() - dt.timedelta(days=30 * 30))
    infant.refresh_from_db()
    _refused(lambda: record("ADBB", answers("ADBB"), infant=infant), "infant", "for babies aged 2 to 24 months")


def test_refuses_an_infant_measure_for_an_unborn_baby(world: World, practitioner: User) -> None:
    episode = episode_with_baby(world.hub, practitioner)
    infant = episode.infants.get()
    Infant.objects.filter(pk=infant.pk).update(date_of_birth=None, expected_due_date=TODAY() + dt.timedelta(days=40))
    infant.refresh_from_db()
    _refused(
        lambda: record_administration(
            actor=None,
            episode=episode,
            instrument="ADBB",
            answers=answers("ADBB"),
            time_point="assessment",
            completed_on=TODAY(),
            source=Source.STAFF,
            infant=infant,
        ),
        "infant",
        "not born yet",
    )


def test_refuses_a_baby_from_another_family(record: Callable[..., Administration], world: World) -> None:
    from attune.families.tests.factories import InfantFactory

    other = InfantFactory(family=FamilyFactory(team=world.hub), date_of_birth=TODAY() - dt.timedelta(days=200))
    _refused(lambda: record("ADBB", answers("ADBB"), infant=other), "infant", "not taking part in this episode")


def test_refuses_the_wrong_number_of_answers(record: Callable[..., Administration]) -> None:
    _refused(lambda: record("PHQ9", [0, 0, 0]), "", "do not fit")


def test_refuses_an_answer_that_is_not_an_option_naming_the_item(record: Callable[..., Administration]) -> None:
    given = answers("PHQ9")
    given[3] = 4
    _refused(lambda: record("PHQ9", given), "item_4", "Answer item 4")


def test_refuses_a_rating_of_101(record: Callable[..., Administration]) -> None:
    _refused(lambda: record("PIRGAS", [101]), "item_1", "Enter a rating from 1 to 100")


def test_refuses_a_missing_risk_item(record: Callable[..., Administration]) -> None:
    _refused(lambda: record("PHQ9", answers("PHQ9", missing=(9,))), "item_9", "Answer item 9")


def test_refuses_answers_too_incomplete_to_score(record: Callable[..., Administration]) -> None:
    _refused(lambda: record("PHQ9", answers("PHQ9", missing=(2,))), "item_2", "Answer item 2")


def test_core10_prorates_one_missing_item(record: Callable[..., Administration]) -> None:
    stored = record("CORE10", answers("CORE10", {1: 4, 4: 4, 5: 1}, missing=(7,)))
    assert stored.complete is False
    assert stored.total == Decimal("10")  # 10 x 9 / 9 answered


def test_a_failure_while_raising_alerts_stores_nothing(
    record: Callable[..., Administration], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_: object) -> None:
        raise RuntimeError("task store down")

    monkeypatch.setattr(services, "raise_task", broken)
    before = _counts()
    with pytest.raises(RuntimeError):
        record("PHQ9", answers("PHQ9", {9: 1}))
    assert _counts() == before


def test_loaded_asqse2_bands_are_chosen_by_the_babys_age_interval(world: World, practitioner: User) -> None:
    episode = episode_with_baby(world.hub, practitioner, months=25)
    bands = [
        {"minimum": 0, "maximum": 49, "label": "Below the cut-off"},
        {"minimum": 50, "maximum": 600, "label": "Above the cut-off"},
    ]
    LoadedBands.objects.create(instrument="ASQSE2", key="24 months", bands=bands, source_note="Our kit")
    LoadedBands.objects.create(
        instrument="ASQSE2",
        key="18 months",
        bands=[{"minimum": 0, "maximum": 600, "label": "Wrong set"}],
        source_note="x",
    )
    params = {
        "actor": None,
        "episode": episode,
        "instrument": "ASQSE2",
        "time_point": "assessment",
        "completed_on": TODAY(),
        "source": Source.STAFF,
        "infant": episode.infants.get(),
    }
    assert record_administration(answers=[60], **params).band == "Above the cut-off"  # type: ignore[arg-type]
    # The interval the practitioner names wins; an interval with nothing loaded gives no band.
    assert record_administration(answers=[60], bands_key="18 months", **params).band == "Wrong set"  # type: ignore[arg-type]
    assert record_administration(answers=[60], bands_key="30 months", **params).band == ""  # type: ignore[arg-type]


def test_asqse2_interval_rule() -> None:
    assert services.asqse2_interval_for(1) == "2 months"
    assert services.asqse2_interval_for(5) == "2 months"
    assert services.asqse2_interval_for(25) == "24 months"
    assert services.asqse2_interval_for(70) == "60 months"


def test_licensed_wording_is_applied_when_loaded(db: None) -> None:
    assert services.instrument_for_service("EPDS").items[0].text is None
    LicensedWording.objects.create(
        instrument="EPDS",
        items={str(n): f"Licensed item {n}" for n in range(1, 11)},
        options={"1": ["A", "B", "C", "D"]},
        licence_note="Licence 123",
        loaded_by="test",
    )
    loaded = services.instrument_for_service("EPDS")
    assert loaded.items_licensed is True
    assert loaded.items[0].text == "Licensed item 1"
    assert [o.label for o in loaded.items[0].options] == ["A", "B", "C", "D"]
    assert [o.score for o in loaded.items[2].options] == [3, 2, 1, 0]  # reverse scoring kept


def test_review_marks_a_parents_answers_reviewed(episode: Episode, practitioner: User) -> None:
    stored = record_administration(
        actor=None,
        episode=episode,
        instrument="GAD7",
        answers=answers("GAD7"),
        time_point="assessment",
        completed_on=TODAY(),
        source=Source.PARENT_LINK,
        carer=episode.carers.get(),
    )
    assert list(Administration.objects.awaiting_review()) == [stored]
    services.review_administration(actor=_request(practitioner), administration=stored)  # type: ignore[arg-type]
    assert not Administration.objects.awaiting_review().exists()
    stored.refresh_from_db()
    assert stored.reviewed_by == practitioner
    with pytest.raises(OutcomeError, match="already been reviewed"):
        services.review_administration(actor=_request(practitioner), administration=stored)  # type: ignore[arg-type]


def test_review_refuses_staff_entered_answers(record: Callable[..., Administration], practitioner: User) -> None:
    stored = record("GAD7", answers("GAD7"))
    with pytest.raises(OutcomeError, match="through a link"):
        services.review_administration(actor=_request(practitioner), administration=stored)  # type: ignore[arg-type]
