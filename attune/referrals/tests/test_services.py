"""Referral actions: receiving a referral and each triage decision, with the status history, the
audit events and the outbox messages each one writes in its transaction."""

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import timezone

from attune.accounts.models import User
from attune.core.actors import Actor
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.families.codes import ContactPreference, Relationship, SafeguardingKind
from attune.families.models import Carer, Family, Infant, SafeguardingFlag
from attune.families.services import NewCarer, NewFamily, NewInfant
from attune.notifications.models import Channel, Message, MessageStatus
from attune.organisations.models import OrganisationKind
from attune.organisations.tests.factories import OrganisationFactory, TeamFactory
from attune.organisations.tests.world import World
from attune.referrals import eligibility, services
from attune.referrals.clock import triage_clock
from attune.referrals.codes import DeclineReason, LevelOfNeed, Priority, ReferralSource
from attune.referrals.models import EligibilityRules, Referral, ReferralKind, ReferralStatus
from attune.referrals.services import (
    Decision,
    IncompleteDecision,
    Intake,
    ReferralError,
    Referrer,
    StaleDecision,
)
from attune.referrals.workflow import IllegalTransition, Status

REFERENCE = re.compile(r"^PIR-[ACDEFGHJKLMNPQRTUVWXY34679]{4}-[ACDEFGHJKLMNPQRTUVWXY34679]{4}$")
HEALTH_VISITOR = Referrer(
    name="Claire Moss",
    role="Health visitor",
    organisation="Seaside Health Visiting",
    email="claire.moss@nhs.example",
    phone="07700 900001",
)
MUM = NewCarer(
    given_name="Danielle",
    family_name="Cartwright",
    relationship=Relationship.MOTHER,
    phone="07700 900104",
    email="dani@example.com",
)

COMPLETE = {
    Status.ACCEPTED: Decision(Status.ACCEPTED, level_of_need=LevelOfNeed.DISTRESS, priority=Priority.SOON),
    Status.SIGNPOSTED: Decision(
        Status.SIGNPOSTED,
        level_of_need=LevelOfNeed.STRESS,
        signposted_to="  Family Hub baby massage group  ",
        note="Tuesdays at 10am.",
    ),
    Status.DECLINED: Decision(
        Status.DECLINED,
        level_of_need=LevelOfNeed.STRESS,
        decline_reason=DeclineReason.ALREADY_SUPPORTED,
        note="Seen by the perinatal team.",
    ),
    Status.AWAITING_INFORMATION: Decision(Status.AWAITING_INFORMATION, note="  Does mum agree to a home visit?  "),
    Status.WITHDRAWN: Decision(Status.WITHDRAWN, note="The family moved away."),
}


def _request(user: User) -> Actor:
    return acting(user, ip="192.0.2.10")


def _intake(
    world: World,
    *,
    kind: str = ReferralKind.PROFESSIONAL,
    source: str = ReferralSource.HEALTH_VISITOR,
    referrer: Referrer = HEALTH_VISITOR,
    carers: list[NewCarer] | None = None,
    consent: bool = True,
    safeguarding: list[str] | None = None,
) -> Intake:
    family = NewFamily(
        team=world.hub,
        infants=[NewInfant(given_name="Lacey", family_name="Cartwright", date_of_birth=date(2026, 7, 20))],
        carers=[MUM] if carers is None else carers,
        address_line_1="88 Lindale Gardens",
        town="Blackpool",
        postcode="fy1 3rn",
        local_authority=world.hub_area,
        safeguarding=safeguarding or [],
    )
    return Intake(
        kind=kind,
        source=source,
        referrer=referrer,
        family=family,
        reason="Mum rarely picks Lacey up.",
        consent_given=consent,
        stresses=["bonding", "domestic_abuse"],
        safeguarding_known=safeguarding or [],
        other_professionals="IDVA",
        submitted={"reason": "Mum rarely picks Lacey up."},
    )


def _self_intake(world: World, carer: NewCarer = MUM) -> Intake:
    return _intake(
        world,
        kind=ReferralKind.SELF,
        source=ReferralSource.SELF,
        referrer=Referrer(name="Danielle Cartwright"),
        carers=[carer],
    )


def _decide(user: User, referral: Referral, decision: Decision) -> ReferralStatus:
    seen = services.latest_status(referral).pk
    return services.decide(actor=_request(user), referral=referral, seen_status_id=seen, decision=decision)


def _messages(referral: Referral) -> dict[str, Message]:
    return {m.template: m for m in Message.objects.about("referrals.referral", str(referral.pk))}


def _actions(referral: Referral) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="referrals.referral", object_id=str(referral.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# -- Receiving a referral -----------------------------------------------------------------------------


def test_a_referral_creates_the_family_and_its_first_status(world: World) -> None:
    referral = services.submit_referral(intake=_intake(world))
    assert REFERENCE.match(referral.reference)
    assert referral.team == world.hub
    assert (referral.kind, referral.source) == (ReferralKind.PROFESSIONAL, "A2")
    assert referral.referrer_name == "Claire Moss"
    assert referral.referrer_email == "claire.moss@nhs.example"
    assert referral.stresses == ["bonding", "domestic_abuse"]
    assert referral.submitted == {"reason": "Mum rarely picks Lacey up."}
    assert referral.consent_given
    family = Family.objects.get(pk=referral.family_id)
    assert family.team == world.hub
    assert family.postcode == "FY1 3RN"
    assert family.local_authority == world.hub_area
    assert [i.full_name for i in Infant.objects.filter(family=family)] == ["Lacey Cartwright"]
    carer = Carer.objects.get(family=family)
    assert carer.full_name == "Danielle Cartwright"
    assert carer.is_main_contact
    (status,) = referral.history.all()
    assert status.status == Status.RECEIVED
    assert status.by is None
    assert status.entered_at == referral.received_at
    assert status.note == "Referral received"
    assert Referral.objects.with_status().get(pk=referral.pk).current_status == "received"


def test_receiving_a_referral_is_audited(world: World) -> None:
    referral = services.submit_referral(intake=_intake(world))
    event = AuditEvent.objects.get(action="referral.received")
    assert (event.object_type, event.object_id) == ("referrals.referral", str(referral.pk))
    assert event.detail == {"kind": "professional", "source": "A2"}
    family_event = AuditEvent.objects.get(action="family.created")
    assert family_event.object_id == str(referral.family_id)
    assert family_event.detail == {"source": "Referral form"}


def test_a_professional_referrer_is_emailed_an_acknowledgement(world: World) -> None:
    referral = services.submit_referral(intake=_intake(world))
    messages = _messages(referral)
    assert set(messages) == {"referral_received_referrer"}
    message = messages["referral_received_referrer"]
    assert message.channel == Channel.EMAIL
    assert message.status == MessageStatus.QUEUED
    assert message.to == "claire.moss@nhs.example"
    assert message.recipient == "Referrer: Claire Moss"
    assert message.subject == f"Referral received: {referral.reference}"
    assert f"Your reference is {referral.reference}." in message.body
    assert "The Example hub team aims to look at new referrals within 5 working days." in message.body


def test_the_acknowledgement_quotes_the_teams_own_target(world: World) -> None:
    EligibilityRules.objects.filter(team=world.hub).update(triage_target_working_days=7)
    referral = services.submit_referral(intake=_intake(world))
    assert "within 7 working days" in _messages(referral)["referral_received_referrer"].body


def test_a_referrer_without_an_email_address_is_not_sent_anything(world: World) -> None:
    referral = services.submit_referral(intake=_intake(world, referrer=replace(HEALTH_VISITOR, email="")))
    message = _messages(referral)["referral_received_referrer"]
    assert message.status == MessageStatus.WITHHELD
    assert message.withheld_reason == "No email address was given for the referrer"
    assert message.to == ""


def test_a_self_referral_is_acknowledged_to_the_parent_by_a_safe_route(world: World) -> None:
    referral = services.submit_referral(intake=_self_intake(world))
    messages = _messages(referral)
    assert set(messages) == {"referral_received_family"}
    message = messages["referral_received_family"]
    assert (message.channel, message.to, message.status) == (Channel.SMS, "07700 900104", MessageStatus.QUEUED)
    assert message.recipient == "Mother: Danielle Cartwright"
    assert message.subject == f"We have your referral: {referral.reference}"
    assert "within 5 working days" in message.body


def test_a_self_referral_with_an_unsafe_phone_is_emailed(world: World) -> None:
    carer = replace(MUM, phone_is_safe=False, safe_contact_note="Partner checks her phone")
    referral = services.submit_referral(intake=_self_intake(world, carer))
    message = _messages(referral)["referral_received_family"]
    assert (message.channel, message.to) == (Channel.EMAIL, "dani@example.com")


def test_a_self_referral_asking_not_to_be_contacted_is_not_messaged(world: World) -> None:
    carer = replace(MUM, contact_preference=ContactPreference.NONE)
    referral = services.submit_referral(intake=_self_intake(world, carer))
    message = _messages(referral)["referral_received_family"]
    assert message.status == MessageStatus.WITHHELD
    assert message.to == ""
    assert message.withheld_reason == "The family asked not to be contacted directly"


def test_safeguarding_known_at_referral_is_flagged_on_the_family(world: World) -> None:
    referral = services.submit_referral(intake=_intake(world, safeguarding=[SafeguardingKind.MARAC]))
    flag = SafeguardingFlag.objects.get(family=referral.family_id)
    assert (flag.kind, flag.source, flag.raised_by) == ("marac", "Referral form", None)
    assert referral.safeguarding_known == ["marac"]


def test_a_referral_without_consent_is_refused_and_nothing_is_kept(world: World) -> None:
    with pytest.raises(ReferralError, match=r"^A referral needs the family's agreement$"):
        services.submit_referral(intake=_intake(world, consent=False))
    assert not Family.objects.exists()
    assert not Referral.objects.exists()
    assert not Message.objects.exists()
    assert not AuditEvent.objects.exists()


def test_every_referral_gets_its_own_reference(world: World) -> None:
    references = {services.submit_referral(intake=_intake(world)).reference for _ in range(5)}
    assert len(references) == 5


# -- Decisions ------------------------------------------------------------------------------------------


@pytest.fixture
def referral(world: World) -> Referral:
    return services.submit_referral(intake=_intake(world))


def test_accepting_records_the_level_of_need_and_priority(referral: Referral, supervisor: User) -> None:
    status = _decide(supervisor, referral, COMPLETE[Status.ACCEPTED])
    referral.refresh_from_db()
    assert (referral.level_of_need, referral.priority) == ("distress", "soon")
    assert (status.status, status.by, status.note) == (Status.ACCEPTED, supervisor, "")
    assert services.latest_status(referral) == status
    event = AuditEvent.objects.get(action="referral.accepted")
    assert (event.actor, event.object_id) == (supervisor, str(referral.pk))
    assert event.ip_address == "192.0.2.10"
    assert event.detail == {"level_of_need": "distress", "priority": "soon"}


def test_signposting_records_where_to(referral: Referral, supervisor: User) -> None:
    status = _decide(supervisor, referral, COMPLETE[Status.SIGNPOSTED])
    referral.refresh_from_db()
    assert referral.signposted_to == "Family Hub baby massage group"
    assert referral.level_of_need == "stress"
    assert referral.priority == ""
    assert status.note == "Tuesdays at 10am."
    assert AuditEvent.objects.get(action="referral.signposted").detail == {"level_of_need": "stress"}


def test_declining_records_the_reason(referral: Referral, team_lead: User) -> None:
    _decide(team_lead, referral, COMPLETE[Status.DECLINED])
    referral.refresh_from_db()
    assert referral.decline_reason == "already_supported"
    assert AuditEvent.objects.filter(action="referral.declined", actor=team_lead).exists()


def test_asking_for_information_keeps_the_question(referral: Referral, coordinator: User) -> None:
    status = _decide(coordinator, referral, COMPLETE[Status.AWAITING_INFORMATION])
    assert status.note == "Does mum agree to a home visit?"
    assert AuditEvent.objects.filter(action="referral.awaiting_information").count() == 1


def test_withdrawing_needs_nothing_more(referral: Referral, coordinator: User) -> None:
    status = _decide(coordinator, referral, Decision(Status.WITHDRAWN))
    assert status.status == Status.WITHDRAWN
    assert AuditEvent.objects.filter(action="referral.withdrawn").count() == 1


@pytest.mark.parametrize(
    ("decision", "problems"),
    [
        (
            Decision(Status.ACCEPTED),
            {"level_of_need": "Select the level of need", "priority": "Select the priority"},
        ),
        (Decision(Status.ACCEPTED, level_of_need="distress", priority="asap"), {"priority": "Select the priority"}),
        (
            Decision(Status.ACCEPTED, level_of_need="unknown", priority="soon"),
            {"level_of_need": "Select the level of need"},
        ),
        (
            Decision(Status.SIGNPOSTED, signposted_to="   "),
            {
                "level_of_need": "Select the level of need",
                "signposted_to": "Enter the service you are signposting the family to",
            },
        ),
        (
            # A decline for age or area can come before anyone judges the need: no level required.
            Decision(Status.DECLINED),
            {"decline_reason": "Select why the referral is declined"},
        ),
        (
            Decision(Status.DECLINED, level_of_need="stress", decline_reason="other", note="  "),
            {"note": "Enter why the referral is declined"},
        ),
        (
            Decision(Status.AWAITING_INFORMATION, note=" "),
            {"note": "Enter what information you need from the referrer"},
        ),
    ],
)
def test_an_incomplete_decision_names_each_missing_field_and_saves_nothing(
    referral: Referral, coordinator: User, decision: Decision, problems: dict[str, str]
) -> None:
    with pytest.raises(IncompleteDecision) as raised:
        _decide(coordinator, referral, decision)
    assert raised.value.problems == problems
    assert str(raised.value) == "; ".join(problems.values())
    referral.refresh_from_db()
    assert referral.history.count() == 1
    assert (referral.level_of_need, referral.priority, referral.signposted_to, referral.decline_reason) == (
        "",
        "",
        "",
        "",
    )
    assert _actions(referral) == ["referral.received"]
    assert set(_messages(referral)) == {"referral_received_referrer"}


def test_declining_for_another_reason_with_a_note_is_complete(referral: Referral, coordinator: User) -> None:
    decision = Decision(Status.DECLINED, level_of_need="stress", decline_reason="other", note="Lives in Wales")
    assert _decide(coordinator, referral, decision).status == Status.DECLINED


def test_a_decision_on_a_status_someone_else_has_moved_on_is_stale(
    referral: Referral, coordinator: User, supervisor: User
) -> None:
    seen = services.latest_status(referral).pk
    first = services.decide(
        actor=_request(coordinator),
        referral=referral,
        seen_status_id=seen,
        decision=COMPLETE[Status.AWAITING_INFORMATION],
    )
    with pytest.raises(StaleDecision) as raised:
        services.decide(
            actor=_request(supervisor), referral=referral, seen_status_id=seen, decision=COMPLETE[Status.ACCEPTED]
        )
    assert raised.value.latest == first
    assert raised.value.latest.by == coordinator
    referral.refresh_from_db()
    assert referral.priority == ""
    assert [s.status for s in referral.history.all()] == ["received", "awaiting_information"]
    assert not AuditEvent.objects.filter(action="referral.accepted").exists()


def test_staleness_is_checked_before_completeness(referral: Referral, coordinator: User) -> None:
    _decide(coordinator, referral, COMPLETE[Status.AWAITING_INFORMATION])
    first_status = referral.history.order_by("id").first()
    assert first_status is not None
    with pytest.raises(StaleDecision):
        services.decide(
            actor=_request(coordinator),
            referral=referral,
            seen_status_id=first_status.pk,
            decision=Decision(Status.ACCEPTED),
        )


@pytest.mark.parametrize("final", [Status.ACCEPTED, Status.SIGNPOSTED, Status.DECLINED, Status.WITHDRAWN])
@pytest.mark.parametrize("then", [Status.ACCEPTED, Status.DECLINED, Status.AWAITING_INFORMATION, Status.WITHDRAWN])
def test_a_decided_referral_cannot_be_decided_again(
    referral: Referral, supervisor: User, final: Status, then: Status
) -> None:
    _decide(supervisor, referral, COMPLETE[final])
    messages_before = Message.objects.count()
    with pytest.raises(IllegalTransition, match=rf"^This referral is {final.label.lower()}"):
        _decide(supervisor, referral, COMPLETE[then])
    assert referral.history.count() == 2
    assert Message.objects.count() == messages_before


def test_information_received_puts_the_referral_back_in_triage(referral: Referral, coordinator: User) -> None:
    _decide(coordinator, referral, COMPLETE[Status.AWAITING_INFORMATION])
    status = services.information_received(
        actor=_request(coordinator),
        referral=referral,
        seen_status_id=services.latest_status(referral).pk,
        note="  Mum agrees.  ",
    )
    assert (status.status, status.by, status.note) == (Status.RECEIVED, coordinator, "Mum agrees.")
    assert _actions(referral)[-1] == "referral.information_received"
    # The clock runs again.
    history = list(referral.history.order_by("entered_at", "id"))
    clock = triage_clock(timezone.localdate(referral.received_at), history, today=timezone.localdate(), target=5)
    assert not clock.paused
    # And the referral can now be decided.
    assert _decide(coordinator, referral, COMPLETE[Status.ACCEPTED]).status == Status.ACCEPTED


def test_information_received_needs_a_note(referral: Referral, coordinator: User) -> None:
    _decide(coordinator, referral, COMPLETE[Status.AWAITING_INFORMATION])
    with pytest.raises(IncompleteDecision) as raised:
        services.information_received(
            actor=_request(coordinator),
            referral=referral,
            seen_status_id=services.latest_status(referral).pk,
            note=" ",
        )
    assert raised.value.problems == {"note": "Enter what the referrer told you"}
    assert referral.history.count() == 2


def test_information_received_only_while_waiting_for_it(referral: Referral, coordinator: User) -> None:
    with pytest.raises(IllegalTransition):
        services.information_received(
            actor=_request(coordinator),
            referral=referral,
            seen_status_id=services.latest_status(referral).pk,
            note="Nothing was asked",
        )


def test_information_received_refuses_a_stale_view(referral: Referral, coordinator: User) -> None:
    seen = services.latest_status(referral).pk
    _decide(coordinator, referral, COMPLETE[Status.AWAITING_INFORMATION])
    with pytest.raises(StaleDecision):
        services.information_received(
            actor=_request(coordinator), referral=referral, seen_status_id=seen, note="Mum agrees"
        )


def test_the_inbox_holds_open_referrals_only(world: World, coordinator: User) -> None:
    open_ones = [services.submit_referral(intake=_intake(world)) for _ in range(2)]
    _decide(coordinator, open_ones[1], COMPLETE[Status.AWAITING_INFORMATION])
    closed = services.submit_referral(intake=_intake(world))
    _decide(coordinator, closed, COMPLETE[Status.WITHDRAWN])
    assert set(Referral.objects.awaiting_triage()) == set(open_ones)


# -- What each decision tells the referrer and the family ---------------------------------------------


@pytest.mark.parametrize(
    ("status", "templates"),
    [
        (Status.ACCEPTED, {"referral_accepted_referrer", "referral_accepted_family"}),
        (Status.SIGNPOSTED, {"referral_signposted_referrer", "referral_signposted_family"}),
        (Status.DECLINED, {"referral_declined_referrer", "referral_declined_family"}),
        (Status.AWAITING_INFORMATION, {"referral_information_requested_referrer"}),
        (Status.WITHDRAWN, set()),
    ],
)
def test_each_decision_tells_the_right_people(
    referral: Referral, supervisor: User, status: Status, templates: set[str]
) -> None:
    _decide(supervisor, referral, COMPLETE[status])
    sent = set(_messages(referral)) - {"referral_received_referrer"}
    assert sent == templates
    for template in templates:
        message = _messages(referral)[template]
        assert message.status == MessageStatus.QUEUED
        if template.endswith("_referrer"):
            assert (message.channel, message.to) == (Channel.EMAIL, "claire.moss@nhs.example")
        else:
            assert (message.channel, message.to) == (Channel.SMS, "07700 900104")


def test_the_messages_say_what_was_decided(world: World, supervisor: User) -> None:
    signposted = services.submit_referral(intake=_intake(world))
    _decide(supervisor, signposted, COMPLETE[Status.SIGNPOSTED])
    messages = _messages(signposted)
    assert "We think Family Hub baby massage group is better placed" in messages["referral_signposted_referrer"].body
    assert "Tuesdays at 10am." in messages["referral_signposted_referrer"].body
    assert "We think Family Hub baby massage group is the best service" in messages["referral_signposted_family"].body

    declined = services.submit_referral(intake=_intake(world))
    _decide(supervisor, declined, COMPLETE[Status.DECLINED])
    messages = _messages(declined)
    assert messages["referral_declined_referrer"].subject == f"Referral {declined.reference} not accepted"
    assert "Reason: Already supported by another service." in messages["referral_declined_referrer"].body
    assert "Seen by the perinatal team." in messages["referral_declined_referrer"].body
    assert "(already supported by another service)" in messages["referral_declined_family"].body

    waiting = services.submit_referral(intake=_intake(world))
    _decide(supervisor, waiting, COMPLETE[Status.AWAITING_INFORMATION])
    request = _messages(waiting)["referral_information_requested_referrer"]
    assert request.subject == f"More information needed: referral {waiting.reference}"
    assert "Does mum agree to a home visit?" in request.body


def test_a_self_referral_decision_goes_to_the_family_only(world: World, supervisor: User) -> None:
    referral = services.submit_referral(intake=_self_intake(world))
    _decide(supervisor, referral, COMPLETE[Status.ACCEPTED])
    assert set(_messages(referral)) == {"referral_received_family", "referral_accepted_family"}


def test_asking_a_self_referring_family_for_information_is_recorded_in_the_outbox(
    world: World, coordinator: User
) -> None:
    """The family is the referrer: the question has to reach them (or be kept, withheld, with
    the reason), or nobody knows whether the family was ever asked."""
    referral = services.submit_referral(intake=_self_intake(world))
    _decide(coordinator, referral, COMPLETE[Status.AWAITING_INFORMATION])
    asked = [m for m in _messages(referral).values() if m.template != "referral_received_family"]
    assert len(asked) == 1
    assert asked[0].recipient == "Mother: Danielle Cartwright"
    assert "Does mum agree to a home visit?" in asked[0].body


def test_a_family_that_cannot_be_reached_safely_has_its_message_withheld(world: World, supervisor: User) -> None:
    carer = replace(MUM, phone_is_safe=False, email="", contact_preference=ContactPreference.SMS)
    referral = services.submit_referral(intake=_intake(world, carers=[carer]))
    Family.objects.filter(pk=referral.family_id).update(address_line_1="")
    _decide(supervisor, referral, COMPLETE[Status.ACCEPTED])
    family_message = _messages(referral)["referral_accepted_family"]
    assert family_message.status == MessageStatus.WITHHELD
    assert family_message.to == ""
    assert family_message.withheld_reason == "No safe way to send a message"
    referrer_message = _messages(referral)["referral_accepted_referrer"]
    assert referrer_message.status == MessageStatus.QUEUED


def test_a_referrer_without_email_hears_nothing_of_the_decision(world: World, supervisor: User) -> None:
    referral = services.submit_referral(intake=_intake(world, referrer=replace(HEALTH_VISITOR, email="")))
    _decide(supervisor, referral, COMPLETE[Status.DECLINED])
    message = _messages(referral)["referral_declined_referrer"]
    assert message.status == MessageStatus.WITHHELD
    assert message.withheld_reason == "No email address was given for the referrer"


def test_each_message_is_audited(referral: Referral, supervisor: User) -> None:
    _decide(supervisor, referral, COMPLETE[Status.ACCEPTED])
    queued = AuditEvent.objects.filter(action="message.queued", object_type="notifications.message")
    assert queued.count() == 3
    assert {e.detail["template"] for e in queued} == {
        "referral_received_referrer",
        "referral_accepted_referrer",
        "referral_accepted_family",
    }
    assert all(e.detail["about"] == f"referrals.referral:{referral.pk}" for e in queued)


# -- Which team, and its rules ----------------------------------------------------------------------------


def test_team_covering_finds_the_team_for_a_council(world: World) -> None:
    assert services.team_covering(world.hub_area) == world.hub
    assert services.team_covering(world.satellite_area) == world.satellite
    nowhere = OrganisationFactory(name="Far Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    assert services.team_covering(nowhere) is None


def test_when_two_teams_cover_an_area_the_first_by_name_is_chosen(world: World) -> None:
    extra = TeamFactory(service=world.hub.service, name="Aardvark team")
    EligibilityRules.objects.create(team=extra).areas.add(world.hub_area)
    assert services.team_covering(world.hub_area) == extra


def test_rules_for_a_team_with_stored_rules(world: World) -> None:
    stored = EligibilityRules.objects.get(team=world.satellite)
    stored.max_age_years = 2
    stored.accepts_unborn = False
    stored.expected_episode_weeks = 20
    stored.save()
    stored.areas.add(world.hub_area)
    rules = services.rules_for(world.satellite)
    assert rules == eligibility.Rules(
        max_age_years=2,
        accepts_unborn=False,
        expected_episode_weeks=20,
        areas={str(world.satellite_area.pk): "Mill Town Council", str(world.hub_area.pk): "Seaside Council"},
    )


def test_rules_for_a_team_without_rules_default_to_its_own_council(world: World) -> None:
    EligibilityRules.objects.filter(team=world.hub).delete()
    assert services.rules_for(world.hub) == eligibility.Rules(
        max_age_years=5,
        accepts_unborn=True,
        expected_episode_weeks=26,
        areas={str(world.hub_area.pk): "Seaside Council"},
    )


def test_rules_for_a_team_with_no_council_and_no_rules_cover_any_area(world: World) -> None:
    team = TeamFactory(local_authority=None)
    assert services.rules_for(team) == eligibility.Rules()
    assert services.rules_for(team).areas == {}


def test_a_message_without_stored_rules_quotes_the_default_target(world: World) -> None:
    EligibilityRules.objects.filter(team=world.hub).delete()
    referral = services.submit_referral(intake=_intake(world))
    assert "within 5 working days" in _messages(referral)["referral_received_referrer"].body


def test_received_at_is_now(world: World) -> None:
    before = timezone.now()
    referral = services.submit_referral(intake=_intake(world))
    assert before <= referral.received_at <= timezone.now() + timedelta(seconds=1)
