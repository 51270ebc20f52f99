"""The demo scenario (DESIGN.md): Blackpool's hub and its Blackburn with Darwen satellite, their
councils and rules, and referrals in every state with what each decision needs."""

import pytest
from django.utils import timezone

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.core.validators import is_valid_nhs_number, is_valid_postcode
from attune.families import contact
from attune.families.codes import NhsNumberStatus, SafeguardingKind
from attune.families.duplicates import candidates_for
from attune.families.matching import Strength
from attune.families.models import Carer, Family, Infant, SafeguardingFlag
from attune.nonprod import demo_care, demo_history, demo_referrals, scenario
from attune.nonprod.tests.demo import demo_referral, triage_state
from attune.notifications.models import Channel, Message, MessageStatus
from attune.organisations.areas import local_authority_for
from attune.organisations.models import Membership, Organisation, Team, TeamKind
from attune.referrals import eligibility, services
from attune.referrals.clock import triage_clock
from attune.referrals.codes import Priority, ReferralSource
from attune.referrals.models import EligibilityRules, Referral, ReferralKind, ReferralStatus
from attune.referrals.workflow import Status

HUB = "Blackpool PAIRS hub team"
SATELLITE = "Blackburn with Darwen satellite team"


def test_the_scenario_is_blackpool_and_its_satellite() -> None:
    satellite = Team.objects.get(kind=TeamKind.SATELLITE)
    assert satellite.name == SATELLITE
    assert satellite.hub is not None
    assert satellite.hub.name == HUB
    assert [s.name for s in satellite.sites.order_by("name")] == ["Blackburn family hub", "Darwen family hub"]
    trainees = Membership.objects.filter(team=satellite, role="trainee")
    assert trainees.count() == 2
    helen = User.objects.get(email="helen.okafor@attune-demo.example")
    assert {m.team.name for m in helen.memberships.filter(role="supervisor")} == {HUB, SATELLITE}
    assert all(u.is_demo_account and u.check_password(scenario.DEMO_PASSWORD) for u in User.objects.all())


def test_each_team_covers_its_council_from_pregnancy_to_the_5th_birthday() -> None:
    blackpool = Organisation.objects.get(name="Blackpool Council")
    bwd = Organisation.objects.get(name="Blackburn with Darwen Borough Council")
    hub, satellite = Team.objects.get(name=HUB), Team.objects.get(name=SATELLITE)
    assert services.team_covering(blackpool) == hub
    assert services.team_covering(bwd) == satellite
    for team, area in ((hub, blackpool), (satellite, bwd)):
        stored = EligibilityRules.objects.get(team=team)
        assert (stored.max_age_years, stored.accepts_unborn, stored.triage_target_working_days) == (5, True, 5)
        assert services.rules_for(team).areas == {str(area.pk): area.name}
    for prefix in ("FY1", "FY2", "FY3", "FY4"):
        assert local_authority_for(f"{prefix} 1AB") == blackpool
    for prefix in ("BB1", "BB2", "BB3"):
        assert local_authority_for(f"{prefix} 1AB") == bwd
    assert local_authority_for("PR1 1AB") is None


@pytest.mark.parametrize("team_name", [HUB, SATELLITE])
def test_both_teams_have_a_referral_in_every_state(team_name: str) -> None:
    states = set(Referral.objects.filter(team__name=team_name).with_status().values_list("current_status", flat=True))
    assert states == {s.value for s in Status}


@pytest.mark.parametrize("team_name", [HUB, SATELLITE])
def test_each_inbox_has_a_referral_within_target_and_one_over_it(team_name: str) -> None:
    waiting = [r for r in Referral.objects.filter(team__name=team_name).with_status() if r.current_status == "received"]
    assert sorted(triage_state(r) for r in waiting) == ["over", "within"]


def test_awaiting_information_shows_the_request_and_pauses_the_clock() -> None:
    for reference in ("PIR-DEMO-0004", "PIR-DEMO-0011"):
        referral = demo_referral(reference)
        latest = services.latest_status(referral)
        assert latest.status == Status.AWAITING_INFORMATION
        assert latest.note.startswith("Please ")
        history = list(referral.history.order_by("entered_at", "id"))
        clock = triage_clock(timezone.localdate(referral.received_at), history, today=timezone.localdate(), target=5)
        assert clock.paused
        assert clock.working_days == 3  # received 5 or 7 working days ago, paused for the last 2 or 4


def test_decisions_carry_what_each_decision_needs() -> None:
    accepted = Referral.objects.with_status().filter(current_status="accepted")
    assert {r.priority for r in accepted} == {Priority.URGENT, Priority.SOON, Priority.ROUTINE}
    assert all(r.level_of_need for r in accepted)
    signposted = {r.signposted_to for r in Referral.objects.with_status().filter(current_status="signposted")}
    assert signposted == {
        "Blackpool Perinatal Mental Health Team",
        "Family Hub baby massage group (Blackburn family hub)",
    }
    declined = Referral.objects.with_status().filter(current_status="declined")
    assert all(r.decline_reason and r.level_of_need for r in declined)
    withdrawn = Referral.objects.with_status().filter(current_status="withdrawn")
    assert all(services.latest_status(r).note for r in withdrawn)


def test_triage_decisions_were_made_by_the_demo_staff_through_the_actions() -> None:
    deciders = set(ReferralStatus.objects.exclude(by=None).values_list("by__email", flat=True))
    assert deciders == {
        "joanne.pickering@attune-demo.example",
        "helen.okafor@attune-demo.example",
        "priya.shah@attune-demo.example",
    }
    # Four accepted at triage in the inbox's story, and the referral of each family on a caseload.
    accepted = AuditEvent.objects.filter(action="referral.accepted")
    # And the satellite's history under the council's agreement (demo_history): all but two accepted.
    history_accepted = sum(1 for family in demo_history.FAMILIES if family.lead)
    assert accepted.count() == 4 + len(demo_care.EPISODES) + history_accepted
    assert all(event.actor_id and event.role for event in accepted)
    received = AuditEvent.objects.filter(action="referral.received")
    today = len(demo_referrals.REFERRALS) + len(demo_care.EPISODES)
    assert received.count() == today + len(demo_history.FAMILIES) == 50
    assert AuditEvent.objects.filter(action="referral.information_received").count() == 1
    outcome = Message.objects.filter(
        template="referral_accepted_referrer", about_id=str(demo_referral("PIR-DEMO-0005").pk)
    )
    assert outcome.get().to == "marcus.holden@council.attune-demo.example"


def test_the_outbox_quotes_the_demo_references_and_the_demo_dates() -> None:
    referral = demo_referral("PIR-DEMO-0003")
    acknowledgement = Message.objects.get(template="referral_received_referrer", about_id=str(referral.pk))
    assert "PIR-DEMO-0003" in acknowledgement.subject
    assert timezone.localdate(acknowledgement.created_at) == timezone.localdate(referral.received_at)
    assert not Message.objects.filter(body__regex=r"PIR-[A-Z0-9]{4}-[A-Z0-9]{4}").exclude(body__contains="DEMO")


def test_referrals_come_from_professionals_and_parents() -> None:
    sources = set(Referral.objects.values_list("source", flat=True))
    assert {
        ReferralSource.HEALTH_VISITOR,
        ReferralSource.MATERNITY,
        ReferralSource.GP,
        ReferralSource.OTHER_SERVICE,
        ReferralSource.SOCIAL_SERVICES,
        ReferralSource.SELF,
    } <= sources
    for referral in Referral.objects.all():
        assert (referral.kind == ReferralKind.SELF) == (referral.source == ReferralSource.SELF)
        if referral.kind == ReferralKind.PROFESSIONAL:
            assert referral.referrer_role
            assert referral.referrer_organisation
            assert referral.referrer_email


def test_every_referral_is_in_criteria_and_the_ages_are_as_described() -> None:
    # Each referral is judged by the rules and the ages of the day it was received: the demo's
    # history (fixed dates in 2024-25) grows older with the calendar, the rest with the clock.
    today = timezone.localdate()
    warnings, in_first_days, unborn = [], 0, 0
    for referral in Referral.objects.select_related("team", "family"):
        received = timezone.localdate(referral.received_at)
        rules = services.rules_for(referral.team, received)
        for infant in referral.family.infants.all():
            area = referral.family.local_authority
            assessed = eligibility.assess(
                rules,
                born=infant.date_of_birth,
                due=infant.expected_due_date,
                area_id=str(area.pk) if area else None,
                area_name=area.name if area else "",
                today=received,
            )
            assert assessed.eligible, (referral.reference, assessed.reasons)
            warnings += [(referral.reference, w) for w in assessed.warnings]
            in_first_days += assessed.in_first_1001_days
            if infant.expected_due_date and not infant.is_born:
                assert infant.expected_due_date > today
                unborn += 1
    assert [reference for reference, _ in warnings] == ["PIR-DEMO-0004"]
    assert warnings[0][1].startswith("Turns 5 on ")
    assert in_first_days >= 10
    assert unborn == 5


def test_a_newborn_without_an_nhs_number_has_its_trace_postponed() -> None:
    zara = Infant.objects.get(given_name="Zara", family_name="Akhtar")
    assert zara.nhs_number == ""
    assert zara.nhs_number_status == NhsNumberStatus.POSTPONED_UNDER_SIX_WEEKS
    assert (timezone.localdate() - zara.key_date()).days < 42


def test_all_nhs_numbers_are_valid_and_synthetic() -> None:
    numbers = [n for model in (Infant, Carer) for n in model.objects.values_list("nhs_number", flat=True) if n]
    assert len(numbers) >= 25
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert number.startswith("999")
        assert is_valid_nhs_number(number), number


def test_the_same_unborn_baby_referred_twice_is_offered_for_linking() -> None:
    first, second = demo_referral("PIR-DEMO-0001"), demo_referral("PIR-DEMO-0002")
    assert first.current_status == "accepted"
    assert second.current_status == "received"
    found = candidates_for(second.family, Family.objects.filter(team=second.team))
    assert [c.family for c in found] == [first.family]
    assert found[0].match.strength == Strength.STRONG
    assert set(found[0].match.reasons) == {"Similar name", "Due dates within two weeks", "Same postcode"}
    # Nothing is linked until the coordinator decides.
    assert second.family.merged_into is None


def test_no_other_demo_family_looks_like_a_duplicate() -> None:
    pair = {demo_referral("PIR-DEMO-0001").family_id, demo_referral("PIR-DEMO-0002").family_id}
    for family in Family.objects.exclude(pk__in=pair):
        assert candidates_for(family, Family.objects.all()) == [], family.postcode


def test_safeguarding_flags_interpreters_and_safe_contact() -> None:
    kinds = list(SafeguardingFlag.objects.active().values_list("kind", flat=True))
    assert kinds.count(SafeguardingKind.CHILD_IN_NEED) == 2
    assert SafeguardingKind.MARAC in kinds
    assert {f.language for f in Family.objects.filter(interpreter_needed=True)} == {"Urdu", "Polish"}
    danielle = Carer.objects.get(given_name="Danielle")
    assert not danielle.phone_is_safe
    assert "partner checks her phone" in danielle.safe_contact_note
    route = contact.safe_route(danielle.family)
    assert (route.channel, route.to) == (Channel.EMAIL, danielle.email)
    assert all(is_valid_postcode(postcode) for postcode in Family.objects.values_list("postcode", flat=True))


def test_a_self_referral_preferring_a_phone_call_is_not_sent_a_message() -> None:
    referral = demo_referral("PIR-DEMO-0008")
    message = Message.objects.get(template="referral_received_family", about_id=str(referral.pk))
    assert message.status == MessageStatus.WITHHELD
    assert message.to == ""


def test_a_referral_decided_in_the_demo_is_left_alone_on_reload() -> None:
    referral = demo_referral("PIR-DEMO-0009")
    decided = services.decide(
        actor=acting(User.objects.get(email="helen.okafor@attune-demo.example")),
        referral=referral,
        seen_status_id=services.latest_status(referral).pk,
        decision=services.Decision(Status.ACCEPTED, level_of_need="distress", priority="soon"),
    )
    scenario.load()
    assert services.latest_status(referral).pk == decided.pk
    assert ReferralStatus.objects.get(pk=decided.pk).entered_at == decided.entered_at


def test_each_decision_is_audited_with_the_role_that_allowed_it() -> None:
    roles = set(
        AuditEvent.objects.filter(action__in=["referral.accepted", "referral.signposted", "referral.declined"])
        .values_list("actor_label", "role")
        .distinct()
    )
    assert ("helen.okafor@attune-demo.example", "Clinical supervisor, Blackpool PAIRS hub team") in roles
    assert (
        "helen.okafor@attune-demo.example",
        "Clinical supervisor, Blackburn with Darwen satellite team",
    ) in roles
    assert ("priya.shah@attune-demo.example", "Team lead, Blackpool PAIRS hub team") in roles
    assert not any("therapist" in role for _, role in roles)
