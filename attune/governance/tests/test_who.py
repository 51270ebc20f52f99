"""Who did something, in words: the person, or the way in when nobody signed in did. No database."""

import pytest

from attune.accounts.models import User
from attune.core.actors import PUBLIC_REFERRAL_FORM, QUESTIONNAIRE_LINK
from attune.core.models import AuditEvent
from attune.governance.who import actor_name, roles_and_places


def test_a_person_is_named_by_their_name() -> None:
    event = AuditEvent(action="referral.viewed", actor=User(full_name="Priya Shah", email="priya@example.nhs.uk"))
    assert actor_name(event) == "Priya Shah"


def test_the_public_referral_form_is_named_as_the_way_in() -> None:
    event = AuditEvent(
        action="family.created", actor_label=PUBLIC_REFERRAL_FORM, request_id="r1", ip_address="192.0.2.1"
    )
    assert actor_name(event) == "the public referral form"


def test_a_parent_answering_a_questionnaire_is_named_so() -> None:
    event = AuditEvent(action="outcomes.administration_recorded", actor_label=QUESTIONNAIRE_LINK, request_id="r2")
    assert actor_name(event) == "a parent, through a questionnaire link"


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("referral.received", "the public referral form"),
        ("referral.spam_refused", "the public referral form"),
        ("questionnaire_link.submitted", "a parent, through a questionnaire link"),
        ("questionnaire_link.check_failed", "a parent, through a questionnaire link"),
    ],
)
def test_events_written_before_the_way_in_was_labelled_are_named_by_their_action(action: str, expected: str) -> None:
    event = AuditEvent(action=action, request_id="abc", ip_address="192.0.2.1")
    assert actor_name(event) == expected


def test_the_system_acting_alone_is_a_scheduled_job() -> None:
    assert actor_name(AuditEvent(action="lone_working.overdue")) == "a scheduled job"
    assert actor_name(AuditEvent(action="message.sent")) == "a scheduled job"


def test_a_command_or_importer_is_named_by_its_label() -> None:
    event = AuditEvent(action="account.disabled", actor_label="manage.py disable_leavers", request_id="manage.py")
    assert actor_name(event) == "manage.py disable_leavers"


def test_an_email_typed_at_a_failed_sign_in_is_shown() -> None:
    event = AuditEvent(action="auth.sign_in_failed", actor_label="who@example.com", request_id="r", ip_address="::1")
    assert actor_name(event) == "who@example.com"


def test_a_request_with_nobody_signed_in_and_nothing_else_known() -> None:
    event = AuditEvent(action="security.csrf_refused", request_id="r9", ip_address="192.0.2.9")
    assert actor_name(event) == "someone who was not signed in"


def test_nobody_is_called_unknown() -> None:
    events = [
        AuditEvent(action=action, request_id=request_id, ip_address=ip)
        for action in ("family.created", "task.raised", "referral.received")
        for request_id, ip in (("", None), ("r", "192.0.2.1"))
    ]
    assert all(actor_name(event) and actor_name(event) != "Unknown" for event in events)


def test_the_audit_role_splits_into_roles_and_places() -> None:
    assert roles_and_places("Coordinator, Blackpool PAIRS hub team") == ("Coordinator", "Blackpool PAIRS hub team")
    assert roles_and_places(
        "Coordinator, Blackpool PAIRS hub team; Team lead, Blackpool PAIRS hub team; Team lead, Satellite, North"
    ) == ("Coordinator; Team lead", "Blackpool PAIRS hub team; Satellite, North")
    assert roles_and_places("Information governance lead, Example Hospitals NHS FT") == (
        "Information governance lead",
        "Example Hospitals NHS FT",
    )
    assert roles_and_places("") == ("", "")
