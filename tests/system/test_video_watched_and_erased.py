"""A practitioner films a session with the family's consent and uploads it from her tablet,
watching the upload's progress; the team's clinical supervisor, with the family's consent to
supervision, watches it in the browser; a practitioner of another team gets "Page not found".
The episode ends; a fortnight before the service's date the uploader gets a task, and on the
date the recording is erased: its page says so, the video is gone from the storage and the
stream answers no more. Each page passes axe."""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.services import discharge_episode
from attune.care.tests.factories import open_episode
from attune.care.tests.factories_diary import appointment, at
from attune.core.actors import Actor
from attune.core.clocks import add_months
from attune.core.formatting import date_long
from attune.core.models import Task, TaskKind
from attune.documents import recording_files
from attune.documents.recording_models import Recording
from attune.documents.recording_services import erase_due_recordings
from attune.families.codes import ParentalResponsibility
from attune.families.consent import record_consent
from attune.families.consent_models import ConsentPurpose
from attune.families.tests.factories import CarerFactory, InfantFactory
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]
SAMPLE = Path(__file__).resolve().parents[2] / "attune" / "documents" / "tests" / "samples" / "session.mp4"
LONDON = ZoneInfo("Europe/London")

# Kept in the tab's sessionStorage (which outlives the page) by an observer of the status line,
# so the journey can read what the progress said once the browser has moved on to the recording.
WATCH_PROGRESS = """() => {
    const status = document.querySelector("[data-upload-progress-text]");
    const bar = document.querySelector("#upload-progress");
    new MutationObserver(() => {
        sessionStorage.setItem("progress", `${status.textContent}|${bar.value}|${bar.closest("[hidden]") === null}`);
    }).observe(status, {childList: true, characterData: true, subtree: true});
}"""


def test_video_is_watched_by_the_supervisor_and_erased_on_its_date(
    page: Page,
    new_page: Callable[[], Page],
    world: World,
    practitioner: User,
    supervisor: User,
    outsider: User,
    auth,
    checkpoint: Check,
) -> None:
    # Given a family on the practitioner's caseload, who consented to video recording and to its
    # use in supervision (the mother for herself and for her baby), and yesterday's session
    today = timezone.localdate()
    episode = open_episode(world.hub, practitioner, opened_at=at(today - dt.timedelta(days=60)), codes=())
    family = episode.family
    mother = CarerFactory(
        family=family, given_name="Amy", family_name="Khan", parental_responsibility=ParentalResponsibility.YES
    )
    baby = InfantFactory(family=family, given_name="Zara", family_name="Khan")
    session = appointment(episode, practitioner, at(today - dt.timedelta(days=1), 10))
    recorder = Actor.system("consent form", for_user=practitioner)
    for purpose in (ConsentPurpose.VIDEO_RECORDING, ConsentPurpose.VIDEO_SUPERVISION):
        record_consent(actor=recorder, family=family, person=mother, purpose=purpose, decision="given", how="written")
        record_consent(
            actor=recorder,
            family=family,
            person=baby,
            purpose=purpose,
            decision="given",
            how="written",
            given_by=mother,
        )

    # When the practitioner adds the session's video from her tablet
    auth.sign_in(page, practitioner)
    page.goto(f"/appointments/{session.pk}/recordings/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a video recording")
    checkpoint(page, "upload-page")
    page.get_by_label("Zara Khan").check()
    page.get_by_label("Amy Khan (mother)").check()

    # (forgetting the video at first: she is told, and who she chose is kept)
    page.get_by_role("button", name="Upload recording").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select a video to upload")
    expect(page).to_have_title(re.compile(r"^Error: Add a video recording"))
    expect(page.get_by_label("Zara Khan")).to_be_checked()
    expect(page.get_by_label("Amy Khan (mother)")).to_be_checked()
    checkpoint(page, "no-video")
    page.get_by_label("Video", exact=True).set_input_files(str(SAMPLE))
    page.evaluate(WATCH_PROGRESS)
    page.get_by_role("button", name="Upload recording").click()

    # Then the upload's progress was shown, and she is on the recording's page
    expect(page).to_have_url(re.compile(r"/recordings/[0-9a-f-]{36}$"))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Recording uploaded")
    said = page.evaluate("() => sessionStorage.getItem('progress')") or ""
    assert said.startswith("Uploaded: 100%"), said
    assert said.endswith("|100|true"), said
    recording = Recording.objects.get()
    expect(page.get_by_role("main")).to_contain_text("Erased 2 months after the episode ends")
    expect(page.get_by_role("main")).to_contain_text("Zara Khan, Amy Khan")
    page.wait_for_function("() => document.querySelector('video').readyState >= 1")
    checkpoint(page, "recording-page")
    recording_url = f"/recordings/{recording.pk}"

    # When the team's supervisor signs in and opens it from the family's record
    other = new_page()
    auth.sign_in(other, supervisor)
    other.goto(f"/families/{family.pk}")
    videos = other.get_by_role("table", name=re.compile("video recordings of its sessions"))
    videos.get_by_role("link", name=re.compile("Recording of home visit")).click()

    # Then the video loads in the browser, a range at a time
    expect(other).to_have_url(re.compile(recording_url + "$"))
    other.wait_for_function("() => document.querySelector('video').readyState >= 1")
    stream = other.evaluate("() => document.querySelector('video').currentSrc")
    answer = other.request.get(stream, headers={"Range": "bytes=0-99"})
    assert answer.status == 206
    assert answer.headers["content-range"].startswith("bytes 0-99/")
    assert "no-store" in answer.headers["cache-control"]
    checkpoint(other, "supervisor-watches")

    # And a practitioner of another team gets "Page not found"
    stranger = new_page()
    auth.sign_in(stranger, outsider)
    refused = stranger.goto(recording_url)
    assert refused is not None
    assert refused.status == 404
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Page not found")
    checkpoint(stranger, "stranger-404")

    # When the episode ends
    discharge_episode(
        actor=Actor.system("journey", for_user=practitioner),
        episode=episode,
        reason="completed",
        summary="The work is finished.",
    )
    erase_day = add_months(today, 2)
    page.reload()
    expect(page.get_by_role("main")).to_contain_text(f"To be erased on {date_long(erase_day)}")
    checkpoint(page, "erasure-date")

    # Then a fortnight before the date the uploader is told, and on the date it is erased
    with time_machine.travel(dt.datetime.combine(erase_day - dt.timedelta(days=14), dt.time(2), LONDON), tick=False):
        erase_due_recordings()
    task = Task.objects.get(kind=TaskKind.RECORDING_ERASURE, assignee=practitioner)
    assert task.title == f"A video recording will be erased on {date_long(erase_day)}"
    with time_machine.travel(dt.datetime.combine(erase_day, dt.time(2), LONDON), tick=False):
        erase_due_recordings()

    page.reload()
    expect(page.get_by_role("main")).to_contain_text(f"Erased on {date_long(erase_day)} (end of episode rule)")
    expect(page.locator("video")).to_have_count(0)
    checkpoint(page, "erased")
    recording.refresh_from_db()
    assert not recording_files.exists(recording.stored_path)
    gone = other.request.get(stream)
    assert gone.status in (404, 410)
