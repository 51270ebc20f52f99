"""What the link pages show, from unsaved objects: no database."""

import datetime as dt
import uuid

from attune.accounts.models import User
from attune.families.models import Carer, Infant
from attune.notifications.models import Message, MessageStatus
from attune.outcomes import instruments
from attune.outcomes.links import answerable_by_parents, key_date_words, needs_infant, wording_refusal
from attune.outcomes.models import QuestionnaireLink
from attune.outcomes.presenters import links as presenters

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
NAMES = {"PHQ9": "Patient Health Questionnaire", "GAD7": "Generalised Anxiety Disorder"}


def link(**changes: object) -> QuestionnaireLink:
    found = QuestionnaireLink(
        pk=uuid.uuid4(),
        episode_id=uuid.uuid4(),
        carer=Carer(given_name="Jade", family_name="Hughes"),
        infant=Infant(given_name="Ava", family_name="Hughes", date_of_birth=dt.date(2026, 5, 1)),
        instruments=["PHQ9", "GAD7"],
        time_point="assessment",
        sent_by=User(full_name="Pat Practitioner"),
        created_at=NOW - dt.timedelta(days=1),
        expires_at=NOW + dt.timedelta(days=6),
    )
    for name, value in changes.items():
        setattr(found, name, value)
    return found


def test_each_status_has_its_tag_and_words() -> None:
    rows = presenters.link_rows(
        [
            link(),
            link(used_at=NOW),
            link(revoked_at=NOW, revoked_by=User(full_name="Lee Lead")),
            link(revoked_at=NOW),
            link(expires_at=NOW - dt.timedelta(hours=1)),
        ],
        {},
        NAMES,
        NOW,
    )
    assert [row.status["text"] for row in rows] == ["Waiting", "Answered", "Withdrawn", "Withdrawn", "Expired"]
    assert rows[0].when == "Expires 3 Dec 2026, 10:00am"
    assert rows[2].when == "Withdrawn 27 Nov 2026, 10:00am by Lee Lead"
    assert rows[3].when.endswith("after 5 wrong dates of birth")
    assert rows[0].revoke_url.endswith("/revoke")
    assert [bool(row.revoke_url) for row in rows] == [True, False, False, False, False]
    assert rows[0].questionnaires == "Patient Health Questionnaire, Generalised Anxiety Disorder"
    assert rows[0].sent == "26 Nov 2026, 10:00am by Pat Practitioner"


def test_how_a_link_went() -> None:
    assert presenters.how_sent(None) == "No message recorded"
    sms = Message(channel="sms", to="07700 900123", status=MessageStatus.QUEUED)
    assert presenters.how_sent(sms) == "Text message to 07700 900123 (waiting to send)"
    email = Message(channel="email", to="jade@example.org", status=MessageStatus.SENT)
    assert presenters.how_sent(email) == "Email to jade@example.org (sent)"
    withheld = Message(channel="", status=MessageStatus.WITHHELD, withheld_reason="Their phone is not safe to use")
    assert presenters.how_sent(withheld) == "Not sent: Their phone is not safe to use"
    assert presenters.was_withheld(withheld)
    assert not presenters.was_withheld(sms)


def test_only_measures_without_wording_are_refused_for_a_link() -> None:
    assert wording_refusal(instruments.get("EPDS")).startswith("The EPDS wording is not loaded. Ask your system")
    assert wording_refusal(instruments.get("KPCS")).startswith("The KPCS wording is not loaded.")
    assert wording_refusal(instruments.get("PHQ9")) == ""
    loaded = instruments.with_wording(instruments.get("EPDS"), {n: f"Item {n}" for n in range(1, 11)})
    assert wording_refusal(loaded) == ""


def test_parents_are_offered_only_what_they_answer_themselves() -> None:
    codes = {i.code for i in answerable_by_parents()}
    assert {"PHQ9", "GAD7", "EPDS", "CORE10", "PBQ", "KPCS"} <= codes
    assert not codes & {"ADBB", "PIRGAS", "ASQSE2"}
    assert needs_infant(instruments.get("PBQ"))
    assert needs_infant(instruments.get("KPCS"))
    assert not needs_infant(instruments.get("PHQ9"))


def test_check_your_answers_reads_each_answer_back() -> None:
    phq9 = instruments.get("PHQ9")
    epds = instruments.get("EPDS")
    sections = presenters.check_sections(
        [phq9, epds], {"PHQ9": [2, 0, 0, 0, 0, 0, 0, 0, 3], "EPDS": [0] * 10}, {"PHQ9": "/a", "EPDS": "/b"}
    )
    assert sections[0].title == phq9.name
    assert sections[0].rows[0] == {
        "key": {"text": "1. Little interest or pleasure in doing things"},
        "value": {"text": "More than half the days"},
    }
    assert sections[0].rows[8]["value"]["text"] == "Nearly every day"
    assert sections[1].rows[0] == {"key": {"text": "Question 1"}, "value": {"text": "Response 1"}}
    assert presenters.step_caption(1, 2) == "Questionnaire 1 of 2"
    assert presenters.step_caption(1, 1) == "Questionnaire"


def test_an_unborn_baby_is_confirmed_by_the_due_date_not_a_date_of_birth() -> None:
    unborn = Infant(family_name="Ashworth", expected_due_date=dt.date(2027, 2, 14))
    rows = presenters.sent_rows(link(infant=unborn), None, NAMES)
    keys = {row["key"]["text"]: row["value"]["text"] for row in rows}
    assert keys["Due date to confirm"] == "The baby's due date"
    assert "Date of birth to confirm" not in keys
    assert "(unborn)'s" not in str(rows)
    born = {row["key"]["text"]: row["value"]["text"] for row in presenters.sent_rows(link(), None, NAMES)}
    assert born["Date of birth to confirm"] == "Ava Hughes's"
    assert key_date_words([unborn]) == "due date"
    assert key_date_words([Infant(date_of_birth=dt.date(2026, 5, 1))]) == "date of birth"
    assert key_date_words([unborn, Infant(date_of_birth=dt.date(2026, 5, 1))]) == "date of birth or due date"
