"""A hub supervisor opens a satellite trainee's training progress, sees the supervised hours
worked out from the diary and supervision, and signs off a competency with a comment. The plan
page then shows it signed, with the date and the comment, and it leaves "what is next". Every
page passes axe as it is."""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.core.formatting import date_long
from attune.core.testing.actors import acting
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World
from attune.workforce.models import EvidenceKind, SignOff
from attune.workforce.services import add_evidence
from attune.workforce.tests.factories import plan, supervision

Check = Callable[[Page, str], None]


def test_supervisor_signs_off_a_trainee_competency(page: Page, world: World, auth, checkpoint: Check) -> None:
    # Given a trainee in the satellite with a training plan, some evidence and supervision
    trainee: User = UserFactory(full_name="Aisha Begum")
    MembershipFactory(user=trainee, team=world.satellite, role=Role.TRAINEE)
    supervisor: User = UserFactory(full_name="Helen Okafor")
    MembershipFactory(user=supervisor, team=world.hub, role=Role.SUPERVISOR)
    MembershipFactory(user=supervisor, team=world.satellite, role=Role.SUPERVISOR)
    training = plan(trainee, world.satellite, supervisor)
    today = timezone.localdate()
    add_evidence(
        actor=acting(trainee),
        plan=training,
        competency_code="AS2",
        kind=EvidenceKind.OBSERVED_SESSION,
        dated_on=today - dt.timedelta(days=14),
        description="Structured play observation with a 4-month-old",
    )
    supervision(supervisor, today - dt.timedelta(days=7), 90, trainee)

    # When the supervisor signs in and opens her trainees
    auth.sign_in(page, supervisor)
    page.goto("/training")
    expect(page.get_by_role("heading", name="Trainees", level=1)).to_be_visible()
    checkpoint(page, "trainees")
    page.get_by_role("link", name="Aisha Begum").click()

    # Then the progress page shows the derived hours and what is next
    expect(page.get_by_role("heading", name="Training progress")).to_be_visible()
    expect(page.get_by_text("0 of 12 competencies signed off")).to_be_visible()
    expect(page.get_by_role("row", name="Clinical supervision 1.5 hours 1.5 hours")).to_be_visible()
    checkpoint(page, "progress")

    # When she signs off the competency the evidence supports
    page.get_by_role("link", name="Sign off AS2").click()
    expect(page.get_by_label("Competency")).to_have_value("AS2")
    checkpoint(page, "sign off")
    # Forgetting the comment first: the page says so and keeps her choice
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_role("alert").get_by_text("Enter a comment about the sign-off")).to_be_visible()
    expect(page.get_by_label("Competency")).to_have_value("AS2")
    checkpoint(page, "sign off error")
    page.get_by_label("Comment").fill("Careful observation that keeps the baby in mind.")
    page.get_by_role("button", name="Sign off").click()

    # Then the plan shows it signed, with the date and her comment
    expect(page.get_by_text("AS2: Observes the parent-infant relationship signed off for Aisha Begum.")).to_be_visible()
    row = page.locator("#competency-AS2")
    expect(row.get_by_text("Signed off", exact=True)).to_be_visible()
    expect(row.get_by_text(f"Signed off on {date_long(today)} by Helen Okafor")).to_be_visible()
    expect(row.get_by_text("Careful observation that keeps the baby in mind.")).to_be_visible()
    expect(page.get_by_text("1 of 12 competencies signed off")).to_be_visible()
    checkpoint(page, "signed off")
    sign_off = SignOff.objects.get()
    assert (sign_off.competency_code, sign_off.signed_by, sign_off.signed_on) == ("AS2", supervisor, today)
