"""The questionnaire-link actions: sending (what, to whom, by which route), the token (hashed,
random, single use, 7 days, revocable), the date-of-birth check (5 wrong answers withdraw the
link), every attempt audited without the token, and answers stored only through
record_administration, all or nothing, with their risk alerts."""

import datetime as dt
import hashlib
import json

import pytest
from django.utils import timezone
from time_machine import TimeMachineFixture

from attune.accounts.models import User
from attune.care.models import Episode
from attune.care.tests.factories import open_episode
from attune.core.models import AuditEvent, Task, TaskKind
from attune.families.codes import ContactPreference, Relationship
from attune.families.models import FamilyAlert
from attune.families.tests.factories import CarerFactory, InfantFactory, UnbornInfantFactory
from attune.notifications.models import Message, MessageStatus
from attune.organisations.tests.world import World
from attune.outcomes import links
from attune.outcomes.links import LinkError, LinkRefused
from attune.outcomes.models import Administration, QuestionnaireLink, Source
from attune.outcomes.services import OutcomeError
from attune.outcomes.tests.factories_links import answers, load_wording, parent_request, send, staff_request

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def episode(world: World, practitioner: User) -> Episode:
    return open_episode(world.hub, practitioner, opened_at=NOW - dt.timedelta(days=30))


def everything_audited() -> str:
    return json.dumps(list(AuditEvent.objects.values()), default=str)


# Sending --------------------------------------------------------------------------------------


def test_only_a_hash_of_a_random_token_is_kept(episode: Episode, practitioner: User) -> None:
    link, token = send(episode, practitioner)
    _, other = send(episode, practitioner)

    assert len(token) >= 43
    assert token != other
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = json.dumps(list(QuestionnaireLink.objects.values()), default=str)
    assert token not in stored
    assert token not in everything_audited()
    assert AuditEvent.objects.filter(action="questionnaire_link.sent", object_id=str(link.pk)).count() == 1


def test_the_link_goes_by_text_to_the_parent_it_is_for_and_expires_in_7_days(
    episode: Episode, practitioner: User
) -> None:
    link, token = send(episode, practitioner, codes=["PHQ9", "GAD7"])

    assert link.expires_at == NOW + dt.timedelta(days=7)
    assert (link.instruments, link.time_point, link.sent_by) == (["PHQ9", "GAD7"], "assessment", practitioner)
    assert link.infant == episode.infants.get()
    message = Message.objects.get(template="questionnaire_link")
    assert (message.channel, message.to, message.status) == ("sms", "07700 900123", MessageStatus.QUEUED)
    assert f"http://testserver/q/{token}" in message.body
    assert "2 short questionnaires" in message.body
    # Nothing in the message says what the questionnaires are about.
    assert "PHQ" not in message.body
    assert "depression" not in message.body.lower()


def test_the_public_address_setting_builds_the_link(episode: Episode, practitioner: User, settings: object) -> None:
    settings.ATTUNE_PUBLIC_BASE_URL = "https://attune.example.nhs.uk/"  # type: ignore[attr-defined]
    _, token = send(episode, practitioner)
    assert (
        f"Open this link on your phone or computer: https://attune.example.nhs.uk/q/{token}\n"
        in Message.objects.get().body
    )


def test_a_link_for_the_father_goes_to_him_not_the_main_contact(episode: Episode, practitioner: User) -> None:
    dad = CarerFactory(
        family=episode.family,
        given_name="Ryan",
        relationship=Relationship.FATHER,
        phone="07700 900999",
        is_main_contact=False,
    )
    episode.carers.add(dad)
    links.send_link(
        actor=staff_request(practitioner), episode=episode, carer=dad, instruments=["PHQ9"], time_point="review"
    )
    assert Message.objects.get().to == "07700 900999"


def test_when_no_safe_route_the_message_is_kept_without_the_link(episode: Episode, practitioner: User) -> None:
    mum = episode.carers.get()
    mum.contact_preference = ContactPreference.PHONE
    mum.save()

    _link, token = send(episode, practitioner)

    message = Message.objects.get()
    assert message.status == MessageStatus.WITHHELD
    assert message.withheld_reason == "The family prefers a phone call: phone them instead"
    assert token not in message.body
    assert "Your practitioner will give you the link" in message.body
    assert AuditEvent.objects.get(action="questionnaire_link.sent").detail["message"] == "withheld"


@pytest.mark.parametrize(
    ("codes", "words"),
    [
        ([], "Select at least one questionnaire"),
        (["ADBB"], "Select questionnaires a parent fills in themselves"),  # observed by a clinician
        (["ASQSE2"], "Select questionnaires a parent fills in themselves"),  # a score from the kit
        (["NOPE"], "Select questionnaires a parent fills in themselves"),
    ],
)
def test_only_questionnaires_parents_answer_can_be_sent(
    episode: Episode, practitioner: User, codes: list[str], words: str
) -> None:
    with pytest.raises(LinkRefused, match=words):
        send(episode, practitioner, codes=codes)
    assert not QuestionnaireLink.objects.exists()
    assert not Message.objects.exists()


def test_a_carer_not_taking_part_cannot_be_sent_a_link(episode: Episode, practitioner: User) -> None:
    stranger = CarerFactory(family=episode.family, is_main_contact=False)
    with pytest.raises(LinkRefused, match="Select a parent or carer taking part in this episode") as refused:
        links.send_link(
            actor=staff_request(practitioner),
            episode=episode,
            carer=stranger,
            instruments=["PHQ9"],
            time_point="assessment",
        )
    assert refused.value.field == "carer"
    assert not QuestionnaireLink.objects.exists()


def test_a_baby_measure_needs_a_baby_of_the_right_age(episode: Episode, practitioner: User) -> None:
    baby = episode.infants.get()
    baby.date_of_birth = dt.date(2025, 6, 1)  # 17 months old: past the KPCS's 0 to 12 months
    baby.save()
    with pytest.raises(LinkRefused, match=r"is for babies aged 0 to 12 months; this baby is 17 months old"):
        send(episode, practitioner, codes=["KPCS"])
    assert not QuestionnaireLink.objects.exists()


def test_with_two_babies_a_baby_measure_asks_which(episode: Episode, practitioner: User) -> None:
    episode.infants.add(InfantFactory(family=episode.family))
    with pytest.raises(LinkRefused, match="Choose the baby the") as refused:
        send(episode, practitioner, codes=["PBQ"])
    assert refused.value.field == "infant"


# Opening, every attempt audited ----------------------------------------------------------------


def test_opening_a_good_link_is_audited_without_the_token(episode: Episode, practitioner: User) -> None:
    link, token = send(episode, practitioner)
    assert links.open_link(token, actor=parent_request()) == link
    event = AuditEvent.objects.get(action="questionnaire_link.opened")
    assert (event.object_id, event.actor, event.outcome) == (str(link.pk), None, "success")
    assert token not in everything_audited()


def test_a_tampered_token_is_simply_unknown_and_audited(episode: Episode, practitioner: User) -> None:
    _, token = send(episode, practitioner)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(LinkError) as refused:
        links.open_link(tampered, actor=parent_request())
    assert refused.value.kind == "unknown"
    event = AuditEvent.objects.get(action="questionnaire_link.refused")
    assert (event.outcome, event.object_id, event.detail["reason"]) == ("not_found", "", "unknown")
    assert tampered not in everything_audited()


def test_a_link_expires_after_7_days(episode: Episode, practitioner: User, clock: TimeMachineFixture) -> None:
    link, token = send(episode, practitioner)
    clock.shift(dt.timedelta(days=7) - dt.timedelta(seconds=1))
    assert links.open_link(token) == link
    clock.shift(dt.timedelta(seconds=1))
    with pytest.raises(LinkError) as refused:
        links.open_link(token)
    assert refused.value.kind == "expired"
    assert AuditEvent.objects.filter(action="questionnaire_link.refused", detail__reason="expired").count() == 1


def test_a_withdrawn_link_no_longer_opens(episode: Episode, practitioner: User) -> None:
    link, token = send(episode, practitioner)
    links.revoke_link(actor=staff_request(practitioner), link=link)
    link.refresh_from_db()
    assert (link.revoked_at, link.revoked_by) == (NOW, practitioner)
    with pytest.raises(LinkError) as refused:
        links.open_link(token)
    assert refused.value.kind == "revoked"
    assert AuditEvent.objects.filter(action="questionnaire_link.revoked", detail__reason="withdrawn").exists()
    with pytest.raises(LinkRefused, match="already been withdrawn"):
        links.revoke_link(actor=staff_request(practitioner), link=link)


# The date of birth ------------------------------------------------------------------------------


def test_the_babys_date_of_birth_opens_the_link(episode: Episode, practitioner: User) -> None:
    link, _ = send(episode, practitioner)
    assert links.check_date_of_birth(link, episode.infants.get().date_of_birth, actor=parent_request())
    assert AuditEvent.objects.filter(action="questionnaire_link.checked", object_id=str(link.pk)).exists()


def test_an_unborn_babys_due_date_opens_the_link(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner, opened_at=NOW - dt.timedelta(days=30))
    episode.infants.all().delete()
    unborn = UnbornInfantFactory(family=episode.family, expected_due_date=dt.date(2027, 2, 14))
    episode.infants.set([unborn])
    link, _ = send(episode, practitioner, codes=["PHQ9"])
    assert Message.objects.get().body.count("your baby's due date first") == 1
    assert not links.check_date_of_birth(link, dt.date(2026, 2, 14))
    assert links.check_date_of_birth(link, dt.date(2027, 2, 14))


def test_five_wrong_dates_withdraw_the_link(episode: Episode, practitioner: User) -> None:
    link, token = send(episode, practitioner)
    wrong = dt.date(2020, 1, 1)
    for attempt in range(1, 5):
        assert not links.check_date_of_birth(link, wrong, actor=parent_request())
        assert (link.failed_checks, link.revoked_at) == (attempt, None)
    assert links.open_link(token) == link

    assert not links.check_date_of_birth(link, wrong, actor=parent_request())

    link.refresh_from_db()
    assert (link.failed_checks, link.revoked_at, link.revoked_by) == (5, NOW, None)
    with pytest.raises(LinkError) as refused:
        links.open_link(token)
    assert refused.value.kind == "revoked"
    assert AuditEvent.objects.filter(action="questionnaire_link.check_failed", outcome="failure").count() == 5
    withdrawn = AuditEvent.objects.get(action="questionnaire_link.revoked")
    assert withdrawn.detail["reason"] == "too_many_wrong_dates_of_birth"
    # Even the right date cannot open it now.
    with pytest.raises(LinkError):
        links.check_date_of_birth(link, episode.infants.get().date_of_birth)
    assert token not in everything_audited()


# Sending the answers ---------------------------------------------------------------------------


def test_answers_are_stored_through_record_administration_and_the_link_is_used(
    episode: Episode, practitioner: User
) -> None:
    link, token = send(episode, practitioner)
    stored = links.submit(
        link=link,
        answers_by_instrument={"PHQ9": answers("PHQ9", 1), "GAD7": answers("GAD7", 2)},
        actor=parent_request(),
    )

    assert [(a.instrument, float(a.total or 0)) for a in stored] == [("PHQ9", 9.0), ("GAD7", 14.0)]
    for administration in stored:
        assert (administration.source, administration.carer, administration.entered_by) == (
            Source.PARENT_LINK,
            episode.carers.get(),
            None,
        )
        assert administration.reviewed_at is None
    assert Administration.objects.awaiting_review().count() == 2
    link.refresh_from_db()
    assert link.used_at == NOW
    with pytest.raises(LinkError) as refused:
        links.open_link(token)
    assert refused.value.kind == "used"
    with pytest.raises(LinkError):
        links.submit(link=link, answers_by_instrument={"PHQ9": answers("PHQ9"), "GAD7": answers("GAD7")}, actor=None)
    assert Administration.objects.count() == 2
    assert AuditEvent.objects.filter(action="outcomes.administration_recorded").count() == 2
    assert AuditEvent.objects.filter(action="questionnaire_link.submitted").count() == 1


@pytest.mark.parametrize(("code", "item"), [("EPDS", 10), ("PHQ9", 9)])
def test_a_risk_answer_through_a_link_raises_an_alert_and_tasks(
    episode: Episode, practitioner: User, team_lead: User, code: str, item: int
) -> None:
    if code == "EPDS":
        load_wording("EPDS")  # without it the EPDS cannot go by link
    link, _ = send(episode, practitioner, codes=[code])
    # EPDS item 10 scores 3-2-1-0 top to bottom: the first answer is the highest risk.
    risky = answers(code, 0 if code == "PHQ9" else 3, **{f"item_{item}": 0 if code == "EPDS" else 1})

    (stored,) = links.submit(link=link, answers_by_instrument={code: risky}, actor=parent_request())

    assert stored.alerts
    alert = FamilyAlert.objects.get(family=episode.family)
    assert alert.closed_at is None
    assignees = set(Task.objects.filter(kind=TaskKind.RISK_ALERT).values_list("assignee", flat=True))
    assert assignees == {practitioner.pk, team_lead.pk}


def test_nothing_is_stored_half_scored(episode: Episode, practitioner: User) -> None:
    link, _ = send(episode, practitioner)
    gad7 = answers("GAD7", 1)
    gad7[2] = None
    with pytest.raises(OutcomeError):
        links.submit(
            link=link, answers_by_instrument={"PHQ9": answers("PHQ9", 1), "GAD7": gad7}, actor=parent_request()
        )
    assert not Administration.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None
    assert AuditEvent.objects.filter(action="questionnaire_link.submit_failed").exists()
    assert not AuditEvent.objects.filter(action="questionnaire_link.submitted").exists()


def test_answers_for_other_questionnaires_are_refused(episode: Episode, practitioner: User) -> None:
    link, _ = send(episode, practitioner, codes=["PHQ9"])
    with pytest.raises(OutcomeError):
        links.submit(link=link, answers_by_instrument={"EPDS": answers("EPDS")}, actor=None)
    assert not Administration.objects.exists()


def test_the_status_of_a_link(episode: Episode, practitioner: User) -> None:
    link, _ = send(episode, practitioner)
    now = timezone.now()
    assert links.status_of(link, now) == "waiting"
    assert links.status_of(link, now + dt.timedelta(days=8)) == "expired"
    link.revoked_at = now
    assert links.status_of(link, now) == "revoked"
    link.used_at = now
    assert links.status_of(link, now) == "used"


@pytest.mark.parametrize("code", ["EPDS", "KPCS"])
def test_a_measure_whose_wording_is_not_loaded_cannot_be_sent(episode: Episode, practitioner: User, code: str) -> None:
    baby = episode.infants.get()
    baby.date_of_birth = (NOW - dt.timedelta(days=60)).date()
    baby.save()
    with pytest.raises(LinkRefused) as refused:
        send(episode, practitioner, codes=["PHQ9", code])
    assert refused.value.field == "instruments"
    assert refused.value.message == (
        f"The {code} wording is not loaded. Ask your system administrator to load your service's licensed copy, "
        "or enter the answers from the printed form"
    )
    assert not QuestionnaireLink.objects.exists()
    assert not Message.objects.exists()
    load_wording(code)
    link, _ = send(episode, practitioner, codes=["PHQ9", code])
    assert link.instruments == ["PHQ9", code]


def test_a_postnatal_measure_is_not_sent_for_a_baby_not_born_yet(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner, opened_at=NOW - dt.timedelta(days=30))
    episode.infants.all().delete()
    episode.infants.set([UnbornInfantFactory(family=episode.family, expected_due_date=dt.date(2027, 2, 14))])
    with pytest.raises(LinkRefused, match=r"is for after the birth, and this baby is not born yet"):
        send(episode, practitioner, codes=["PBQ"])
    assert not QuestionnaireLink.objects.exists()
