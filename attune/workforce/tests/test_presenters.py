"""What the workforce pages show, without the database."""

import datetime as dt
from decimal import Decimal

from attune.workforce import frameworks, presenters
from attune.workforce.models import ActivityKind, Evidence, NonCaseloadActivity, Post, SignOff

TODAY = dt.date(2026, 11, 27)


def _post(starts: dt.date, ends: dt.date | None) -> Post:
    return Post(title="Therapist", starts_on=starts, ends_on=ends, funded_by="Council")


def test_post_status_warns_within_8_weeks() -> None:
    def status(post: Post) -> str:
        return str(presenters.post_status(post, TODAY)["html"])

    assert "Ends in 56 days" in status(_post(dt.date(2025, 4, 1), TODAY + dt.timedelta(weeks=8)))
    assert "nhsuk-tag--orange" in status(_post(dt.date(2025, 4, 1), TODAY + dt.timedelta(weeks=8)))
    assert "Ends today" in status(_post(dt.date(2025, 4, 1), TODAY))
    assert "Current" in status(_post(dt.date(2025, 4, 1), TODAY + dt.timedelta(weeks=8, days=1)))
    assert "Ended" in status(_post(dt.date(2024, 11, 1), dt.date(2025, 3, 31)))
    assert "Permanent" in status(_post(dt.date(2024, 11, 1), None))
    assert "Not started" in status(_post(TODAY + dt.timedelta(days=1), None))
    assert presenters.ending_soon(_post(dt.date(2025, 4, 1), TODAY + dt.timedelta(days=3)), TODAY)
    assert not presenters.ending_soon(_post(dt.date(2025, 4, 1), TODAY - dt.timedelta(days=1)), TODAY)


def test_what_is_next_is_unsigned_competencies_in_framework_order() -> None:
    framework = frameworks.load("demo")
    signed = [SignOff(competency_code="AS1"), SignOff(competency_code="AS3")]
    evidence = [Evidence(competency_code="AS2"), Evidence(competency_code="AS2")]
    steps = presenters.what_is_next(framework, evidence, signed)
    assert [s.text.split(":")[0] for s in steps][:3] == ["AS2", "IN1", "IN2"]
    shown, more = presenters.next_steps(steps)
    assert shown[0] == "AS2: Observes the parent-infant relationship (Assessment, 2 pieces of evidence)"
    assert shown[1].endswith("(Intervention, no evidence yet)")
    assert more == 10 - 3


def test_activity_totals_count_this_financial_year_only() -> None:
    def made(day: dt.date, kind: str, hours: str, attendees: int) -> NonCaseloadActivity:
        return NonCaseloadActivity(held_on=day, kind=kind, hours=Decimal(hours), attendees=attendees)

    since = presenters.financial_year_start(TODAY)
    assert since == dt.date(2026, 4, 1)
    assert presenters.financial_year_start(dt.date(2027, 3, 31)) == dt.date(2026, 4, 1)
    totals = presenters.activity_totals(
        [
            made(dt.date(2026, 4, 1), ActivityKind.TRAINING, "2.5", 20),
            made(dt.date(2026, 9, 1), ActivityKind.CONSULTATION, "0.25", 2),
            made(dt.date(2026, 3, 31), ActivityKind.TRAINING, "3", 30),
        ],
        since,
    )
    assert (totals.sessions, totals.attendees, totals.hours) == (2, 22, Decimal("2.75"))
    assert (totals.training_hours, totals.consultation_hours) == (Decimal("2.5"), Decimal("0.25"))
    assert presenters.hours_text(Decimal("2.75")) == "2.75 hours"
    assert presenters.hours_text(Decimal("1.0")) == "1 hour"
    assert presenters.hours_text(Decimal("0")) == "0 hours"
