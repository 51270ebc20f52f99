"""A practitioner enters a PHQ-9 for a mother in her episode, answering item 9 above 0: she sees
the score, the band and a red risk alert at once, the family banner carries the alert, and the
alert goes only when she records the action taken. Before saving she checks each answer with its
score (the risk question called out) and changes one, every other answer kept. Each page passes
axe."""

import datetime as dt
import re
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.tests.factories import open_episode
from attune.core.models import Task, TaskKind
from attune.families.models import FamilyAlert
from attune.organisations.tests.world import World
from attune.outcomes.models import Administration

Check = Callable[[Page, str], None]

# Item number -> the answer as printed ("Several days" for item 9: above 0).
ANSWERS = {1: "More than half the days", 2: "More than half the days", 3: "Several days", 4: "Several days"}


def test_practitioner_enters_a_phq9_and_acts_on_the_risk_alert(
    page: Page, world: World, practitioner: User, team_lead: User, auth, checkpoint: Check
) -> None:
    # Given a mother in an episode on the practitioner's caseload
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - dt.timedelta(days=14))
    mother = episode.carers.get()

    # When she chooses to enter a PHQ-9 for the mother
    auth.sign_in(page, practitioner)
    page.goto(f"/episodes/{episode.pk}/measures/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a measure")
    checkpoint(page, "choose-measure")
    page.get_by_role("link", name=re.compile(rf"Enter the Patient Health Questionnaire.*{mother.full_name}")).click()

    # And answers every item, item 9 above 0, with the keyboard-friendly radios
    expect(page.get_by_role("heading", level=1)).to_contain_text("PHQ-9")
    for number in range(1, 10):
        answer = ANSWERS.get(number, "Several days" if number == 9 else "Not at all")
        group = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
        group.get_by_label(answer, exact=True).check()
    page.get_by_role("group", name="Time point").get_by_label("Assessment").check()
    checkpoint(page, "enter-phq9")
    page.get_by_role("button", name="Continue to check the answers").click()

    # Then she checks each answer with its score before anything is saved, the risk question
    # called out with the answer chosen and its score
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the answers before saving them")
    risk = page.locator("[data-risk-item='9']").first
    expect(risk).to_contain_text("Risk question 9: raises a risk alert")
    expect(risk).to_contain_text("Answer: Several days. Score: 1.")
    expect(page.locator("main")).to_contain_text("Score: 2")
    checkpoint(page, "check-phq9")
    assert not Administration.objects.exists()

    # When she changes the first answer, every other answer is still there
    page.get_by_role("link", name="Change the answer to question 1").click()
    expect(page.get_by_role("group", name=re.compile(r"^2\. ")).get_by_label("More than half the days")).to_be_checked()
    expect(page.get_by_role("group", name=re.compile(r"^9\. ")).get_by_label("Several days")).to_be_checked()
    page.get_by_role("group", name=re.compile(r"^1\. ")).get_by_label("Several days", exact=True).check()
    page.get_by_role("button", name="Continue to check the answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the answers before saving them")
    assert not Administration.objects.exists()
    page.get_by_role("button", name="Save these answers").click()

    # Then she sees the score, the band and the alert at once
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("saved for")
    expect(page.get_by_role("heading", level=1)).to_contain_text("PHQ-9")
    result = page.locator("main")
    expect(result).to_contain_text("6 out of 27")
    expect(result).to_contain_text("Mild")
    expect(result).to_contain_text("This is the baseline")
    alert_card = page.locator("[data-risk-alert=open]")
    expect(alert_card).to_contain_text("PHQ-9 item 9")
    expect(page.locator("[data-risk-item='9']")).to_contain_text("Risk question 9: raised a risk alert")

    # And the family banner carries the alert
    banner = page.locator("[data-risk-alerts]")
    expect(banner).to_contain_text("Risk alerts")
    expect(banner).to_contain_text("PHQ-9 item 9")
    checkpoint(page, "result-with-alert")
    assert Task.objects.open().filter(kind=TaskKind.RISK_ALERT, assignee=team_lead).exists()

    # When she opens the alert and tries to close it without saying what she did
    alert_card.get_by_role("link", name=re.compile("Record the action taken")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk alert")
    page.get_by_role("button", name="Record the action and close the alert").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter what you did about this alert")
    assert FamilyAlert.objects.active().count() == 1

    # And then records the action taken: what was done, when, by whom, and what was decided
    # (the date, the time and "by whom" start as now and her)
    page.get_by_role("group", name="What was done?").get_by_label("Risk assessed by phone").check()
    page.get_by_role("group", name="What was done?").get_by_label("GP told").check()
    page.get_by_role("textbox", name="Describe what was done and what was decided").fill(
        "Called her the same day; safety plan agreed and GP informed."
    )
    checkpoint(page, "alert-action")
    page.get_by_role("button", name="Record the action and close the alert").click()

    # Then the alert goes: from the result and from the family banner, and the tasks close
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("The alert is closed")
    expect(page.locator("[data-risk-alert=open]")).to_have_count(0)
    expect(page.locator("[data-risk-alerts]")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("safety plan agreed")
    checkpoint(page, "result-after-action")
    assert not FamilyAlert.objects.active().exists()
    assert not Task.objects.open().filter(kind=TaskKind.RISK_ALERT).exists()
