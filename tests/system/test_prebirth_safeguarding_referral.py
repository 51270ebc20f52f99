"""A pre-birth safeguarding referral followed through the birth: a practitioner records a referral
to children's social care about an unborn baby, sees when the strategy meeting is due, schedules
it (a mistake in its date put right on the way), finds the task to prepare on her home page,
records the outcome "child protection plan", which the family's banner shows; the birth is
recorded, and the referral and banner then name the baby and still show the plan. Each page
passes axe."""

import re
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from attune.accounts.models import User
from attune.core.formatting import date_long
from attune.core.models import Task, TaskKind
from attune.families.models import Family
from attune.families.safeguarding_models import SafeguardingReferral
from attune.families.tests.factories import CarerFactory, FamilyFactory, UnbornInfantFactory
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]
NARROW: ViewportSize = {"width": 320, "height": 640}


def fill_date(page: Page, group: str, day: date) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(day.day))
    fields.get_by_label("Month").fill(str(day.month))
    fields.get_by_label("Year").fill(str(day.year))


def test_a_prebirth_referral_follows_the_baby_through_the_birth(
    page: Page, world: World, practitioner: User, auth, checkpoint: Check
) -> None:
    # Given a family in her team expecting a baby in 16 weeks (24 weeks pregnant today)
    today = timezone.localdate()
    family: Family = FamilyFactory(team=world.hub, local_authority=world.hub_area)
    CarerFactory(family=family, given_name="Amira", family_name="Ahmed")
    UnbornInfantFactory(family=family, family_name="Ahmed", expected_due_date=today + timedelta(weeks=16))
    strategy_by = today + timedelta(weeks=4)

    # When she opens the family record and makes a safeguarding referral
    auth.sign_in(page, practitioner)
    page.goto(f"/families/{family.pk}")
    checkpoint(page, "family")
    page.get_by_role("link", name="Make a safeguarding referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a safeguarding referral")
    checkpoint(page, "new-referral")
    page.get_by_label("What is the concern?").fill("Domestic abuse disclosed at the antenatal visit")
    fill_date(page, "Date of the referral", today)
    expect(page.get_by_label("Which council was the referral made to?")).to_have_value(str(world.hub_area.pk))
    page.get_by_role("button", name="Record the referral").click()

    # Then the referral page shows when the strategy meeting is due, and the banner the referral
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Safeguarding referral: Unborn baby"))
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"Strategy meeting due by {date_long(strategy_by)} (28 weeks of pregnancy)")
    banner = page.locator("[data-safeguarding-banner]")
    expect(banner).to_contain_text("Referral to children's social care for the unborn baby: awaiting decision")
    checkpoint(page, "referral")
    referral = SafeguardingReferral.objects.get()
    assert referral.pre_birth
    assert referral.pregnancy_week == 24

    # When she adds the strategy meeting but types a date before the referral
    page.get_by_role("link", name="Add a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a meeting")
    checkpoint(page, "add-meeting")
    page.get_by_label("Strategy meeting").check()
    fill_date(page, "Date of the meeting", today - timedelta(days=1))
    page.get_by_label("Start time").fill("10am")
    page.get_by_role("button", name="Add the meeting").click()

    # Then she is told why, and what she typed is still there
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        f"The meeting must be on or after the referral date, {date_long(today)}"
    )
    expect(page.get_by_label("Start time")).to_have_value("10am")
    expect(page.get_by_label("Strategy meeting")).to_be_checked()
    checkpoint(page, "meeting-date-error")

    # When she puts the date right (two weeks away, before 28 weeks)
    meeting_day = today + timedelta(days=14)
    fill_date(page, "Date of the meeting", meeting_day)
    page.get_by_role("button", name="Add the meeting").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Strategy meeting added")
    expect(main).to_contain_text("Planned")

    # Then a task to prepare for it is on her home page, and it opens the referral
    task = Task.objects.open().get(kind=TaskKind.SAFEGUARDING_MEETING)
    assert task.assignee == practitioner
    page.goto("/")
    checkpoint(page, "home-with-task")
    page.get_by_role("link", name=re.compile(f"Prepare for the strategy meeting on {date_long(meeting_day)}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Safeguarding referral"))

    # When she records that children's social care made a child protection plan, by keyboard
    page.get_by_role("link", name="Record an outcome").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an outcome")
    checkpoint(page, "record-outcome")
    page.get_by_label("Child protection plan").check()
    fill_date(page, "Date of the decision", today)
    page.get_by_role("group", name="Date of the decision").get_by_label("Year").press("Enter")

    # Then the banner shows the plan and since when
    plan = f"child protection plan, since {date_long(today)}"
    expect(page.locator("[data-safeguarding-banner]")).to_contain_text(plan)
    checkpoint(page, "referral-plan")

    # When the baby is born and the birth is recorded on the family record
    page.goto(f"/families/{family.pk}")
    page.get_by_role("link", name=re.compile("^Record the birth")).click()
    checkpoint(page, "record-birth")
    fill_date(page, "Date of birth", today)
    page.get_by_label("First name").fill("Zara")
    page.get_by_label("Last name").fill("Ahmed")
    page.get_by_role("button", name="Record the birth").click()

    # Then the banner names the baby, says the referral was made before birth, and still shows the plan
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Birth recorded")
    named = f"Referral to children's social care for Zara Ahmed (made before birth at 24 weeks): {plan}"
    expect(page.locator("[data-safeguarding-banner]")).to_contain_text(named)
    checkpoint(page, "family-after-birth")

    # And so does the referral, which she opens from the family record
    page.get_by_role("link", name=re.compile(r"^Zara Ahmed\W+referral of")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding referral: Zara Ahmed")
    expect(page.get_by_role("main")).to_contain_text("Made before birth at 24 weeks")
    expect(page.locator("[data-safeguarding-banner]")).to_contain_text(named)
    checkpoint(page, "referral-after-birth")

    # And on a 320-pixel screen the referral page does not scroll sideways (wide tables scroll
    # inside their own region)
    page.set_viewport_size(NARROW)
    for url in (page.url, f"/families/{family.pk}/safeguarding-referrals/{referral.pk}/meetings/new"):
        page.goto(url)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= NARROW["width"], f"{url} is {width}px wide at {NARROW['width']}px"
        checkpoint(page, "narrow")

    # And a task asks her to tell children's social care of the birth, which she records as done
    told = "Tell children's social care that Zara Ahmed was born"
    assert Task.objects.open().filter(title=told).exists()
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"/families/{family.pk}/safeguarding-referrals/{referral.pk}")
    page.locator("[data-birth-to-tell]").get_by_role("button", name="Children's social care has been told").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("knows of the birth")
    expect(page.locator("[data-birth-to-tell]")).to_have_count(0)
    checkpoint(page, "birth-told")
    assert not Task.objects.open().filter(title=told).exists()
