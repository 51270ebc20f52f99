"""A high-risk alert (EPDS item 10, thoughts of self-harm) is acted on and then reviewed: the
practitioner cannot close it with "x", records what was done, when, by whom and what was
decided; the supervisor opens the review task from her home page, sees the action in the
alert's history with the review due, and records her review, which closes the task. Each page
passes axe."""

from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.core.models import Task, TaskKind
from attune.families.models import FamilyAlert
from attune.organisations.tests.world import World
from attune.outcomes import services
from attune.outcomes.models import Source
from attune.outcomes.tests.entry_helpers import answers, episode_with_baby

Check = Callable[[Page, str], None]


def test_supervisor_reviews_the_action_on_a_high_risk_alert(
    page: Page,
    new_page: Callable[[], Page],
    world: World,
    practitioner: User,
    supervisor: User,
    auth,
    checkpoint: Check,
) -> None:
    # Given an EPDS with item 10 above 0, which put a high-risk alert on the family
    episode = episode_with_baby(world.hub, practitioner)
    stored = services.record_administration(
        actor=None,
        episode=episode,
        instrument="EPDS",
        answers=answers("EPDS", {10: 1}),
        time_point="assessment",
        completed_on=timezone.localdate(),
        source=Source.STAFF,
        carer=episode.carers.get(),
    )
    alert = FamilyAlert.objects.get()
    assert alert.high_risk

    # When the practitioner opens the alert and writes only "x"
    auth.sign_in(page, practitioner)
    page.goto(f"/measures/{stored.pk}/alerts/{alert.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk alert")
    checkpoint(page, "alert-open")
    done = page.get_by_role("group", name="What was done?")
    done.get_by_label("Risk assessed in person").check()
    done.get_by_label("Crisis team contacted").check()
    description = page.get_by_role("textbox", name="Describe what was done and what was decided")
    description.fill("x")
    page.get_by_role("button", name="Record the action and close the alert").click()

    # Then it is refused, saying why, and what she typed and ticked is kept
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Describe what was done and what was decided, in at least 20 characters"
    )
    expect(done.get_by_label("Crisis team contacted")).to_be_checked()
    expect(description).to_have_value("x")
    checkpoint(page, "alert-action-refused")
    assert FamilyAlert.objects.active().count() == 1

    # When she describes what was done and decided
    description.fill("Home visit: she is safe tonight; crisis team visiting tomorrow, partner at home.")
    page.get_by_role("button", name="Record the action and close the alert").click()

    # Then the alert closes and a review is asked of the supervisor
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("a supervisor will review it")
    task = Task.objects.open().get(kind=TaskKind.REVIEW_RISK_ALERT)
    assert task.assignee == supervisor

    # When the supervisor opens the task from her home page
    other = new_page()
    auth.sign_in(other, supervisor)
    other.get_by_role("link", name="Review the action on a high-risk alert").first.click()

    # Then she sees the action in the alert's history and when the review is due
    expect(other.get_by_role("heading", level=1)).to_have_text("Risk alert")
    expect(other.locator("[data-review-due]")).to_contain_text("must review the action taken by")
    history = other.locator("[data-alert-history]")
    expect(history).to_contain_text("Risk assessed in person, Crisis team contacted")
    expect(history).to_contain_text("crisis team visiting tomorrow")
    expect(history).to_contain_text(practitioner.full_name)
    checkpoint(other, "alert-review-due")

    # When she records her review
    other.get_by_role("group", name="Do you agree with the action taken?").get_by_label(
        "No, further action is needed"
    ).check()
    other.get_by_role("textbox", name="Comment").fill("Add the perinatal mental health team; I will ring them.")
    other.get_by_role("button", name="Record the review").click()

    # Then the history shows the review, no review is due, and the task is closed
    expect(other.locator(".nhsuk-notification-banner--success")).to_contain_text("Review recorded")
    expect(other.locator("[data-alert-history]")).to_contain_text("Reviewed: further action needed")
    expect(other.locator("[data-review-due]")).to_have_count(0)
    checkpoint(other, "alert-reviewed")
    task.refresh_from_db()
    assert task.closed_at is not None
