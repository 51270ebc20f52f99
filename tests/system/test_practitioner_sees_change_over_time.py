"""A practitioner sees change over time: from the home page's "Measures due" she opens a family's
outcome measures, where the EPDS chart (an image named by its title) sits beside its table, the
review score shows a reliable improvement, the summary says Jade crossed below the cut-off, and
the PHQ-9 due at review is listed with a link to enter it. Her team lead keeps the schedule of
measures those due dates come from. Every page passes axe."""

import datetime as dt
import re
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.tests.factories import open_episode
from attune.organisations.tests.world import World
from attune.outcomes.models import MeasureSchedule, TimePoint
from attune.outcomes.tests.factories_progress import record, schedule

Check = Callable[[Page, str], None]


def test_practitioner_sees_change_over_time(
    page: Page,
    new_page: Callable[[], Page],
    world: World,
    practitioner: User,
    team_lead: User,
    auth,
    checkpoint: Check,
) -> None:
    # Given Jade and baby Ava's episode, opened 13 weeks ago in the hub team
    today = timezone.localdate()
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - dt.timedelta(weeks=13))
    jade = episode.carers.get()
    jade.given_name, jade.family_name = "Jade", "Hughes"
    jade.save()
    ava = episode.infants.get()
    ava.given_name, ava.family_name = "Ava", "Hughes"
    ava.save()
    # And her EPDS at assessment (16, above the cut-off of 13) and at review (10)
    record(episode, "EPDS", 16, completed_on=today - dt.timedelta(weeks=12), carer=jade)
    record(episode, "EPDS", 10, completed_on=today - dt.timedelta(days=3), carer=jade, time_point=TimePoint.REVIEW)
    # And a team that gives the EPDS at assessment and review, and the PHQ-9 at review (week 12)
    schedule(world.hub, "EPDS", TimePoint.ASSESSMENT, 0)
    schedule(world.hub, "EPDS", TimePoint.REVIEW, 12)
    schedule(world.hub, "PHQ9", TimePoint.REVIEW, 12)

    # When the practitioner signs in
    auth.sign_in(page, practitioner)

    # Then her home page says a measure is due for the family
    due = page.get_by_role("region", name="Measures due")
    expect(due).to_contain_text("1 measure is due or overdue across 1 family you work with.")
    expect(due).to_contain_text("1 due: PHQ-9")
    checkpoint(page, "home")

    # When she opens the family's measures
    due.get_by_role("link", name="Family of Ava Hughes").click()

    # Then she sees the outcome measures page
    expect(page).to_have_url(re.compile(rf"/episodes/{episode.pk}/outcomes$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcome measures")
    # And the PHQ-9 due at review, with a link to enter it for Jade
    due_table = page.get_by_role("table", name="Measures due or overdue, overdue first")
    expect(due_table.get_by_role("row")).to_have_count(2)
    expect(due_table.get_by_role("row").nth(1)).to_contain_text("PHQ-9")
    expect(due_table.get_by_role("row").nth(1)).to_contain_text("Review")
    expect(due_table.get_by_role("link", name="Enter PHQ-9 for Jade Hughes")).to_be_visible()
    # And the EPDS chart, an image named by its title
    chart = page.get_by_role("img", name="EPDS scores for Jade Hughes")
    expect(chart).to_be_visible()
    expect(chart.locator("desc")).to_contain_text("10 on")
    expect(chart.locator("desc")).to_contain_text("a reliable improvement")
    # And beside it the table of the same scores, the review a reliable improvement
    data = page.get_by_role("table", name="EPDS scores for Jade Hughes, oldest first")
    rows = data.get_by_role("row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Baseline")
    expect(rows.nth(2)).to_contain_text("Improved")
    # And the summary says she crossed below the cut-off
    summary = page.get_by_role("table", name=re.compile("whether the change is reliable"))
    expect(summary).to_contain_text("Improved")
    expect(summary).to_contain_text("Yes: crossed below the cut-off, out of the clinical range")
    checkpoint(page, "progress")

    # When the team lead opens the team's schedule of measures
    lead_page = new_page()
    auth.sign_in(lead_page, team_lead)
    lead_page.goto(f"/teams/{world.hub.pk}/measures")

    # Then she sees the three measures
    expect(lead_page.get_by_role("heading", level=1)).to_have_text("Schedule of measures")
    listed = lead_page.get_by_role("table", name="Measures the team gives, earliest first")
    expect(listed.get_by_role("row")).to_have_count(4)
    checkpoint(lead_page, "schedules")

    # When she adds the GAD-7 at review, first forgetting the weeks
    lead_page.get_by_role("button", name="Add a measure").click()
    lead_page.get_by_label("Measure").select_option("GAD7")
    lead_page.get_by_label("Review").check()
    lead_page.get_by_role("button", name="Add measure").click()

    # Then she is told what is missing, with her choices kept
    expect(lead_page.get_by_role("alert")).to_contain_text(
        "Enter how many weeks after the episode starts the measure is due"
    )
    expect(lead_page.get_by_label("Review")).to_be_checked()
    checkpoint(lead_page, "schedule-error")

    # When she enters 12 weeks
    lead_page.get_by_label("Weeks after the episode starts").fill("12")
    lead_page.get_by_role("button", name="Add measure").click()

    # Then it is on the schedule
    expect(lead_page.get_by_text("GAD-7 at review is added.")).to_be_visible()
    expect(listed.get_by_role("row")).to_have_count(5)
    assert MeasureSchedule.objects.filter(team=world.hub, instrument="GAD7", weeks_after_start=12).exists()

    # And the practitioner, looking again, sees the GAD-7 due too
    page.reload()
    expect(page.get_by_role("table", name="Measures due or overdue, overdue first").get_by_role("row")).to_have_count(3)
