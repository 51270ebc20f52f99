"""Pages reflow (WCAG 2.2 AA 1.4.10 Reflow and 1.4.4 Resize text): at 320 by 640 pixels, and with
the browser's text size doubled on a 390-pixel phone, no page scrolls sideways. Only a wide
table may scroll, inside its own named, keyboard-reachable region (.app-table-scroll); nothing
else may stick out past the right edge of the screen. The journey visits the public pages
(sign-in, the first steps of /refer), a parent's questionnaire link and the main staff pages,
photographs each, and checks the pages with axe.

How "200% text" is made: text-only resize, as a person's browser setting does it (Chrome's
Settings > Appearance > Font size), not zoom. A Chrome DevTools Protocol session on the page calls
`Page.setFontSizes` with {"standard": 32, "fixed": 26} (Chrome's defaults are 16 and 13). That
changes the browser's default font size, which `rem`, `em` and the em-based media queries of
NHS.UK frontend all follow. `text_doubled` proves it takes effect by measuring a paragraph's
computed font size before and after, and every page is checked to still have a 32px root size."""

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from attune.accounts.models import User
from attune.care.models import Appointment, Episode
from attune.care.tests.factories import open_episode, seed_interventions, waiting_referral
from attune.care.tests.factories_diary import appointment
from attune.commissioning.tests.factories import agreement as funding_agreement
from attune.core import audit
from attune.core.periods import last_complete_quarter
from attune.core.testing.actors import acting
from attune.documents import document_services, recording_services
from attune.documents.tests import document_samples
from attune.families import safeguarding
from attune.families.consent import record_consent
from attune.interop.mhsds_forms import default_month
from attune.notifications.models import Channel, Message, MessageStatus
from attune.organisations.tests.world import World
from attune.outcomes.models import TimePoint
from attune.outcomes.tests.factories_links import send
from attune.outcomes.tests.factories_progress import record, schedule
from attune.reports.tests.factories import at, referral

Check = Callable[[Page, str], None]

NARROW: ViewportSize = {"width": 320, "height": 640}
PHONE: ViewportSize = {"width": 390, "height": 844}
PHOTO_HEIGHT_LIMIT = 12_000
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
SAMPLE_VIDEO = Path(__file__).resolve().parents[2] / "attune" / "documents" / "tests" / "samples" / "session.mp4"

# Every element whose right edge is past the viewport's (scrolling the page, or clipped), except
# inside a table's own scroll region (the region itself is checked). What nobody sees is skipped:
# display: none, and anything inside the 1-pixel visually-hidden pattern.
STICKING_OUT = """() => {
    const edge = window.innerWidth;
    const unseen = (element) => {
        for (let at = element; at; at = at.parentElement) {
            const box = at.getBoundingClientRect();
            if (box.width <= 1 && box.height <= 1) return true;
        }
        return false;
    };
    const found = [];
    for (const element of document.body.querySelectorAll("*")) {
        if (element.parentElement && element.parentElement.closest(".app-table-scroll")) continue;
        const box = element.getBoundingClientRect();
        if (box.right <= edge + 0.5 || unseen(element)) continue;
        const name = element.tagName.toLowerCase()
            + (element.id ? "#" + element.id : "")
            + [...element.classList].map((c) => "." + c).join("");
        const text = (element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
        found.push(`${name} "${text}" ends at ${Math.round(box.right)}px`);
    }
    return found;
}"""

ROOT_FONT_SIZE = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def text_doubled(page: Page) -> None:
    """Double the browser's text size (not zoom) and prove it took effect on an Attune page."""
    page.goto("/sign-in")
    paragraph = page.locator("main p").first
    before = float(paragraph.evaluate("(p) => parseFloat(getComputedStyle(p).fontSize)"))
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    page.reload()
    after = float(paragraph.evaluate("(p) => parseFloat(getComputedStyle(p).fontSize)"))
    assert after == pytest.approx(before * 2), f"Text size went from {before}px to {after}px, not doubled"


class Reflow:
    """Looks at each page as it is: its width, what sticks out, and a photograph of it all.

    The photograph is taken with the viewport stretched to the page's height, not with
    Playwright's full_page option: that one resets the text size set through Page.setFontSizes."""

    def __init__(self, mode: str, root_font_size: float) -> None:
        self.mode = mode
        self.root_font_size = root_font_size
        self.problems: list[str] = []
        self.taken = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob(f"reflow-{mode}-*.png"):
            old.unlink()

    def look(self, page: Page, step: str) -> None:
        page.wait_for_load_state("load")
        root = page.evaluate(ROOT_FONT_SIZE)
        assert root == self.root_font_size, f"{page.url}: root font size {root}px, not {self.root_font_size}px"
        width = page.evaluate("() => document.documentElement.scrollWidth")
        screen = page.evaluate("() => window.innerWidth")
        out = page.evaluate(STICKING_OUT)
        if width > screen or out:
            self.problems.append(
                f"{step} ({page.url}): page {width}px wide on a {screen}px screen"
                + "".join(f"\n    {line}" for line in out[:12])
            )
        self.photograph(page, step)

    def photograph(self, page: Page, step: str) -> None:
        self.taken += 1
        viewport = page.viewport_size
        assert viewport is not None
        # Chromium cannot draw a viewport much taller than 16,000 pixels in one go.
        height = min(page.evaluate("() => document.documentElement.scrollHeight"), PHOTO_HEIGHT_LIMIT)
        page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
        page.screenshot(path=str(SCREENSHOTS / f"reflow-{self.mode}-{self.taken:02d}-{step}.png"))
        page.set_viewport_size(viewport)

    def assert_reflows(self) -> None:
        assert not self.problems, f"At {self.mode}, pages scroll sideways:\n" + "\n".join(self.problems)


def the_whole_record(episode: Episode, session: Appointment, practitioner: User) -> dict[str, str]:
    """Consent, a safeguarding referral, a document and a recording on the family (issue 19), and
    the pages that show them."""
    family, mother, baby = episode.family, episode.carers.get(), episode.infants.get()
    actor = acting(practitioner)
    for purpose in ("assessment_treatment", "contact_text", "video_recording"):
        record_consent(actor=actor, family=family, person=mother, purpose=purpose, decision="given", how="written")
    referral = safeguarding.make_safeguarding_referral(
        actor=actor,
        family=family,
        infant=baby,
        concern="Domestic abuse disclosed at a home visit; the health visitor shares the concern",
        referred_on=timezone.localdate(),
    )
    pdf = document_samples.pdf()
    document = document_services.upload_document(
        actor=actor,
        family=family,
        title="Child protection plan from Blackpool Council children's social care",
        category="child_protection_plan",
        content=io.BytesIO(pdf),
        name="child-protection-plan-with-a-very-long-file-name-from-the-council.pdf",
        size=len(pdf),
        direction="received",
        agency="Blackpool Council children's social care",
        exchanged_on=timezone.localdate(),
    )
    recording = recording_services.upload_recording(
        actor=actor,
        appointment=session,
        infants=[],
        carers=[mother],
        upload=recording_services.Upload(
            file=SimpleUploadedFile("session.mp4", SAMPLE_VIDEO.read_bytes()), name="session.mp4"
        ),
    )
    family_address = f"/families/{family.pk}"
    return {
        "consent": f"{family_address}/consent/{mother.pk}",
        "language": f"{family_address}/carers/{mother.pk}/language",
        "safeguarding-referral": f"{family_address}/safeguarding-referrals/{referral.pk}",
        "safeguarding-meeting": f"{family_address}/safeguarding-referrals/{referral.pk}/meetings/new",
        "document-upload": f"{family_address}/documents/new",
        "document": f"/documents/{document.pk}",
        "interpreter": f"/appointments/{session.pk}/interpreter",
        "recording-upload": f"/appointments/{session.pk}/recordings/new",
        "recording": f"/recordings/{recording.pk}",
    }


@pytest.mark.parametrize("mode", ["320px", "200pc-text"])
def test_pages_reflow_without_scrolling_sideways(
    mode: str,
    page: Page,
    new_page: Callable[[], Page],
    world: World,
    team_lead: User,
    auth: Any,
    checkpoint: Check,
) -> None:
    seed_interventions()
    now = timezone.now()
    today = timezone.localdate()
    # Given a team lead with a family of her own: an episode with a schedule of measures, scores
    # recorded, an appointment today, and a questionnaire link sent to the mother
    episode = open_episode(world.hub, team_lead, opened_at=now - dt.timedelta(weeks=13))
    mother = episode.carers.get()
    baby = episode.infants.get()
    schedule(world.hub, "EPDS", TimePoint.ASSESSMENT, 0)
    schedule(world.hub, "PHQ9", TimePoint.REVIEW, 12)
    record(episode, "EPDS", 16, completed_on=today - dt.timedelta(weeks=12), carer=mother)
    record(episode, "EPDS", 10, completed_on=today - dt.timedelta(days=3), carer=mother, time_point=TimePoint.REVIEW)
    session = appointment(episode, team_lead, now.replace(hour=10, minute=0, second=0, microsecond=0))
    _, token = send(episode, team_lead)
    whole_record = the_whole_record(episode, session, team_lead)
    # And a family on the waiting list, and a new referral to triage with an email about it
    waiting_referral(world.hub, received_at=now - dt.timedelta(days=40))
    new = referral(world.hub, now - dt.timedelta(days=2))
    Message.objects.create(
        channel=Channel.EMAIL,
        to="jo.bloggs-featherstonehaugh@example-community-health.nhs.uk",
        recipient="Referrer: Jo Bloggs-Featherstonehaugh, health visitor, Example Community Health",
        template="referral_received",
        subject=f"Your referral {new.reference} to the Example PAIRS parent-infant relationship service",
        body="Thank you.",
        status=MessageStatus.SENT,
        about_type=audit.object_type_of(new),
        about_id=str(new.pk),
    )
    # And referrals in the last complete quarter for the team's report
    quarter = last_complete_quarter(today)
    # And the council's funding agreement for the satellite, with its own return
    council_deal = funding_agreement(world.satellite_area, world.icb, [world.satellite])
    for n in range(9):
        referral(world.hub, at(quarter.start + dt.timedelta(days=n)), source="A1" if n % 2 else "A2")

    screen = NARROW if mode == "320px" else PHONE
    page.set_viewport_size(screen)
    if mode == "320px":
        root = 16.0
    else:
        text_doubled(page)
        root = 32.0
    reflow = Reflow(mode, root)

    # The public pages
    page.goto("/sign-in")
    reflow.look(page, "sign-in")
    page.goto("/refer")
    reflow.look(page, "refer")
    page.goto("/refer/professional")
    reflow.look(page, "refer-professional")
    page.goto("/refer/yourself")
    reflow.look(page, "refer-yourself")
    page.goto("/api/v1/docs")
    reflow.look(page, "api-docs")

    # A parent's questionnaire link, on a phone of her own
    parent = new_page()
    parent.set_viewport_size(screen)
    if mode != "320px":
        text_doubled(parent)
    parent.goto(f"/q/{token}")
    expect(parent.get_by_role("heading", level=1)).to_have_text("What is your baby's date of birth?")
    reflow.look(parent, "parent-date-of-birth")
    assert baby.date_of_birth is not None
    parent.get_by_label("Day").fill(str(baby.date_of_birth.day))
    parent.get_by_label("Month").fill(str(baby.date_of_birth.month))
    parent.get_by_label("Year").fill(str(baby.date_of_birth.year))
    parent.get_by_role("button", name="Continue").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("Patient Health Questionnaire (PHQ-9)")
    reflow.look(parent, "parent-questionnaire")

    # The staff pages
    auth.sign_in(page, team_lead)
    reflow.look(page, "home")
    staff_pages = {
        "triage-inbox": f"/teams/{world.hub.pk}/referrals",
        "referral": f"/referrals/{new.pk}",
        "waiting-list": f"/teams/{world.hub.pk}/waiting-list",
        "caseload": "/caseload",
        "diary": "/diary",
        "family": f"/families/{episode.family_id}",
        "episode": f"/episodes/{episode.pk}",
        "outcomes": f"/episodes/{episode.pk}/outcomes",
        "report": f"/reports/teams/{world.hub.pk}/?period={quarter.key}",
        **whole_record,
        # Data in and out (issue 20)
        "import": "/imports/new",
        "mhsds": f"/mhsds/?team={world.hub.pk}&month={default_month(today).key}",
        "fhir-export": f"/families/{episode.family_id}/fhir",
        "fhir-upload": f"/teams/{world.hub.pk}/referrals/fhir",
        "agreement-return": f"/reports/agreements/{council_deal.pk}/",
    }
    for step, address in staff_pages.items():
        response = page.goto(address)
        assert response is not None, f"{address} did not answer"
        assert response.ok, f"{address} answered {response.status}"
        reflow.look(page, step)

    # The outcomes page's "Enter" action for the measure due, in a table wider than the screen,
    # is reached by scrolling the table's region, not the page
    page.goto(staff_pages["outcomes"])
    due = page.get_by_role("region", name="Measures due or overdue, overdue first")
    enter = due.get_by_role("link", name=re.compile("^Enter PHQ-9"))
    enter.scroll_into_view_if_needed()
    box = enter.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= screen["width"]
    assert page.evaluate("() => window.scrollX") == 0

    reflow.assert_reflows()

    # Every table's scroll region is named after its table's caption; the keyboard reaches it
    # (Tab from the heading before it) and scrolls it with the arrow keys
    page.goto(staff_pages["referral"])
    expect(page.locator(".app-table-scroll")).to_have_count(2)
    expect(page.get_by_role("region", name="What has happened to this referral, newest first")).to_be_visible()
    messages = page.get_by_role("region", name="Emails, texts and letters about this referral")
    page.get_by_role("heading", name="Messages", exact=True).click()
    page.keyboard.press("Tab")
    expect(messages).to_be_focused()
    assert messages.evaluate("(region) => region.scrollWidth > region.clientWidth"), "The messages table fits"
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # (the browser may scroll smoothly: wait for it)
    page.wait_for_function("(region) => region.scrollLeft > 0", arg=messages.element_handle())
    checkpoint(page, f"{mode}-referral-axe")
    page.goto(staff_pages["outcomes"])
    checkpoint(page, f"{mode}-outcomes-axe")
