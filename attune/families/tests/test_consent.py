"""Consent per person and purpose: recorded with who, how and when; a new decision supersedes the
old one, which stays as history; withdrawal takes effect at once and runs the hooks other apps
registered; a baby's consent comes from a carer with parental responsibility; and the look-ups
other parts ask answer in one query."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from attune.accounts.models import User
from attune.core import links
from attune.core.actors import QUESTIONNAIRE_LINK, Actor
from attune.core.models import AuditEvent, Task, TaskKind
from attune.core.testing.actors import acting
from attune.families import consent
from attune.families.codes import ParentalResponsibility, Relationship
from attune.families.consent import ConsentError, record_consent, withdraw_consent
from attune.families.consent_models import Consent, ConsentDecision, ConsentHow, ConsentPurpose
from attune.families.models import Carer, Family, Infant
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db

TEXT = ConsentPurpose.CONTACT_TEXT


@pytest.fixture
def family(world: World) -> Family:
    return FamilyFactory(team=world.hub)


@pytest.fixture
def mum(family: Family) -> Carer:
    return CarerFactory(
        family=family, given_name="Dani", family_name="Cartwright", parental_responsibility=ParentalResponsibility.YES
    )


@pytest.fixture
def baby(family: Family) -> Infant:
    return InfantFactory(family=family, given_name="Leo", family_name="Cartwright")


@pytest.fixture
def hooks() -> Iterator[list[tuple[Actor, Consent]]]:
    called: list[tuple[Actor, Consent]] = []
    consent.register_withdrawal_hook("test", lambda actor, found: called.append((actor, found)))
    yield called
    consent._withdrawal_hooks.pop("test", None)


def _give(practitioner: User, family: Family, person: Carer | Infant, purpose: str = TEXT, **more: object) -> Consent:
    fields: dict[str, object] = {"decision": ConsentDecision.GIVEN, "how": ConsentHow.SPOKEN, **more}
    return record_consent(actor=acting(practitioner), family=family, person=person, purpose=purpose, **fields)  # type: ignore[arg-type]


def test_recording_consent_keeps_who_how_when_and_audits_it(practitioner: User, family: Family, mum: Carer) -> None:
    made = _give(practitioner, family, mum, how=ConsentHow.WRITTEN)

    assert (made.carer, made.infant, made.family, made.recorded_by) == (mum, None, family, practitioner)
    assert (made.purpose, made.decision, made.how, made.status) == (TEXT, "given", "written", "Given")
    event = AuditEvent.objects.get(action="consent.recorded")
    assert (event.family_id, event.person_id, event.object_id) == (family.pk, mum.pk, str(made.pk))
    assert event.detail == {"purpose": TEXT, "decision": "given", "how": "written"}
    assert consent.has_consent(mum, TEXT)
    assert not consent.is_refused_or_withdrawn(mum, TEXT)


def test_nobody_asked_is_neither_consent_nor_refusal(mum: Carer) -> None:
    assert not consent.has_consent(mum, TEXT)
    assert not consent.is_refused_or_withdrawn(mum, TEXT)


def test_a_new_decision_supersedes_the_old_which_stays_as_history(
    practitioner: User, family: Family, mum: Carer, hooks: list[tuple[Actor, Consent]]
) -> None:
    first = _give(practitioner, family, mum)
    second = _give(practitioner, family, mum, decision=ConsentDecision.REFUSED)

    assert Consent.objects.filter(carer=mum).count() == 2
    assert consent.current_of(mum, TEXT) == second
    assert consent.is_refused_or_withdrawn(mum, TEXT)
    # Refusing what was given withdraws it at once, and whatever rested on it is told.
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    assert [found.pk for _, found in hooks] == [first.pk]
    assert AuditEvent.objects.get(action="consent.recorded", object_id=str(second.pk)).detail["supersedes"] == str(
        first.pk
    )


def test_withdrawal_takes_effect_at_once_and_runs_the_hooks_in_its_transaction(
    practitioner: User, family: Family, mum: Carer, hooks: list[tuple[Actor, Consent]]
) -> None:
    given = _give(practitioner, family, mum, purpose=ConsentPurpose.VIDEO_RECORDING)
    actor = acting(practitioner)

    withdraw_consent(actor=actor, consent=given, how=ConsentHow.SPOKEN, reason="She changed her mind")

    given.refresh_from_db()
    assert (given.withdrawn_by, given.withdrawn_how, given.withdrawn_reason) == (
        practitioner,
        "spoken",
        "She changed her mind",
    )
    assert given.status == "Withdrawn"
    assert not consent.has_consent(mum, ConsentPurpose.VIDEO_RECORDING)
    assert consent.is_refused_or_withdrawn(mum, ConsentPurpose.VIDEO_RECORDING)
    assert hooks == [(actor, given)]
    event = AuditEvent.objects.get(action="consent.withdrawn")
    assert (event.person_id, event.detail["purpose"]) == (mum.pk, "video_recording")


def test_a_failing_hook_undoes_the_withdrawal(practitioner: User, family: Family, mum: Carer) -> None:
    given = _give(practitioner, family, mum)

    def broken(actor: Actor, found: Consent) -> None:
        raise RuntimeError("storage unavailable")

    consent.register_withdrawal_hook("broken", broken)
    try:
        with pytest.raises(RuntimeError):
            withdraw_consent(actor=acting(practitioner), consent=given, how=ConsentHow.SPOKEN)
    finally:
        consent._withdrawal_hooks.pop("broken")
    assert Consent.objects.get(pk=given.pk).withdrawn_at is None
    assert not AuditEvent.objects.filter(action="consent.withdrawn").exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("withdrawn", "This consent was already withdrawn on"),
        ("refused", "Consent was refused, so there is nothing to withdraw"),
        ("superseded", "A newer decision has replaced this one"),
    ],
)
def test_what_cannot_be_withdrawn(practitioner: User, family: Family, mum: Carer, setup: str, message: str) -> None:
    decision = ConsentDecision.REFUSED if setup == "refused" else ConsentDecision.GIVEN
    made = _give(practitioner, family, mum, decision=decision)
    if setup == "withdrawn":
        withdraw_consent(actor=acting(practitioner), consent=made, how=ConsentHow.SPOKEN)
    if setup == "superseded":
        _give(practitioner, family, mum)

    with pytest.raises(ConsentError, match=message):
        withdraw_consent(actor=acting(practitioner), consent=made, how=ConsentHow.WRITTEN)


def test_someone_not_in_the_family_cannot_be_recorded(practitioner: User, family: Family, world: World) -> None:
    stranger = CarerFactory(family=FamilyFactory(team=world.hub), given_name="Kim", family_name="Other")

    with pytest.raises(ConsentError, match="Kim Other \\(mother\\) is not in this family"):
        _give(practitioner, family, stranger)
    assert not Consent.objects.exists()


def test_sharing_with_another_agency_needs_its_name_and_is_kept_per_agency(
    practitioner: User, family: Family, mum: Carer
) -> None:
    with pytest.raises(ConsentError, match="Enter the name of the agency"):
        _give(practitioner, family, mum, purpose=ConsentPurpose.SHARE_OTHER, agency="  ")
    _give(practitioner, family, mum, purpose=ConsentPurpose.SHARE_OTHER, agency="Women's Aid")
    _give(
        practitioner,
        family,
        mum,
        purpose=ConsentPurpose.SHARE_OTHER,
        agency="Housing",
        decision=ConsentDecision.REFUSED,
    )
    # An agency given for another purpose means nothing and is not kept.
    assert _give(practitioner, family, mum, agency="Housing").agency == ""

    assert consent.has_consent(mum, ConsentPurpose.SHARE_OTHER, agency="women's aid")
    assert consent.is_refused_or_withdrawn(mum, ConsentPurpose.SHARE_OTHER, agency="Housing")
    decisions = consent.current_decisions([mum])[str(mum.pk)]
    assert [c.purpose_text for c in decisions] == [
        "Contact by text message",
        "Share with another agency: Housing",
        "Share with another agency: Women's Aid",
    ]


def test_a_review_date_must_be_in_the_future_and_raises_a_task_for_whoever_recorded_it(
    practitioner: User, family: Family, mum: Carer
) -> None:
    today = timezone.localdate()
    with pytest.raises(ConsentError, match="The review date must be in the future"):
        _give(practitioner, family, mum, review_on=today)

    made = _give(practitioner, family, mum, purpose=ConsentPurpose.RESEARCH, review_on=today + timedelta(days=180))

    task = Task.objects.open().get(kind=TaskKind.CONSENT_REVIEW)
    assert (task.assignee, task.about_id) == (practitioner, str(made.pk))
    assert task.title == "Review consent: Research, Dani Cartwright (mother)"
    assert links.task_link(task) == f"/families/{family.pk}/consent/{mum.pk}"
    # Withdrawing it leaves nothing to review.
    withdraw_consent(actor=acting(practitioner), consent=made, how=ConsentHow.SPOKEN)
    assert not Task.objects.open().exists()


def test_a_babys_consent_comes_from_a_carer_with_parental_responsibility(
    practitioner: User, family: Family, mum: Carer, baby: Infant, world: World
) -> None:
    partner = CarerFactory(
        family=family,
        given_name="Sam",
        relationship=Relationship.PARTNER,
        parental_responsibility=ParentalResponsibility.NO,
        is_main_contact=False,
    )
    elsewhere = CarerFactory(
        family=FamilyFactory(team=world.hub), given_name="Kim", parental_responsibility=ParentalResponsibility.YES
    )

    with pytest.raises(ConsentError, match="Select who decided for Leo Cartwright"):
        _give(practitioner, family, baby, purpose=ConsentPurpose.RESEARCH)
    with pytest.raises(ConsentError, match="does not have parental responsibility recorded"):
        _give(practitioner, family, baby, given_by=partner, purpose=ConsentPurpose.RESEARCH)
    with pytest.raises(ConsentError, match="is not in this family"):
        _give(practitioner, family, baby, given_by=elsewhere, purpose=ConsentPurpose.RESEARCH)

    made = _give(practitioner, family, baby, purpose=ConsentPurpose.VIDEO_RECORDING, given_by=mum)
    assert (made.infant, made.carer, made.given_by) == (baby, None, mum)
    assert consent.has_consent(baby, ConsentPurpose.VIDEO_RECORDING)


def test_a_parent_on_their_own_phone_records_with_nobody_as_recorder(family: Family, mum: Carer) -> None:
    link = Actor(label=QUESTIONNAIRE_LINK)
    made = record_consent(
        actor=link, family=family, person=mum, purpose=TEXT, decision=ConsentDecision.GIVEN, how=ConsentHow.OWN_PHONE
    )
    assert made.recorded_by is None
    assert AuditEvent.objects.get(action="consent.recorded").actor_label == QUESTIONNAIRE_LINK


def test_current_consents_is_one_query_for_any_number_of_people(
    practitioner: User, family: Family, mum: Carer, baby: Infant
) -> None:
    others = [CarerFactory(family=family, is_main_contact=False) for _ in range(5)]
    for person in [mum, *others]:
        _give(practitioner, family, person)
        _give(practitioner, family, person, decision=ConsentDecision.REFUSED)
    _give(practitioner, family, baby, purpose=ConsentPurpose.RESEARCH, given_by=mum)
    _give(practitioner, family, mum, purpose=ConsentPurpose.SHARE_OTHER, agency="Housing")

    with CaptureQueriesContext(connection) as captured:
        found = consent.current_consents([mum, baby, *others])
    assert len(captured.captured_queries) == 1
    assert found[(str(mum.pk), TEXT)].decision == "refused"
    assert found[(str(baby.pk), ConsentPurpose.RESEARCH)].is_given
    assert (str(mum.pk), ConsentPurpose.SHARE_OTHER) not in found
    assert len(found) == 7
    assert consent.current_consents([]) == {}


def test_a_baby_is_never_asked_about_contact(practitioner: User, family: Family, mum: Carer, baby: Infant) -> None:
    with pytest.raises(ConsentError, match="Contact by text message is asked of a parent or carer, not a baby"):
        _give(practitioner, family, baby, given_by=mum)
    assert ConsentPurpose.CONTACT_TEXT not in consent.purposes_for(baby)
    assert ConsentPurpose.CONTACT_TEXT in consent.purposes_for(mum)
