"""A practitioner goes back to a family she had open: her home page lists the families she opened
last, newest first, each with when, linking to the family's record. A family moved to another
team leaves the list. Every page passes axe."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.models import Episode
from attune.care.tests.factories import open_episode
from attune.families.models import Family
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def _named(episode: Episode, baby: str, carer: str) -> None:
    infant, parent = episode.infants.get(), episode.carers.get()
    infant.given_name, infant.family_name = baby.split(" ")
    infant.save()
    parent.given_name, parent.family_name = carer.split(" ")
    parent.save()


def test_practitioner_sees_recently_viewed(
    page: Page, world: World, practitioner: User, auth, checkpoint: Check
) -> None:
    # Given Ava Hughes's family on the practitioner's caseload, and Noah Patel's family in her team
    episode = open_episode(world.hub, practitioner)
    _named(episode, "Ava Hughes", "Jade Hughes")
    noah = FamilyFactory(team=world.hub)
    InfantFactory(family=noah, given_name="Noah", family_name="Patel")
    CarerFactory(family=noah, given_name="Priya", family_name="Patel")
    # And a family in her team she never opens
    never = FamilyFactory(team=world.hub)
    InfantFactory(family=never, given_name="Isla", family_name="Moss")

    # When she signs in for the first time
    auth.sign_in(page, practitioner)

    # Then her home page says she has opened no family yet
    recent = page.get_by_role("region", name="Recently viewed")
    expect(recent).to_contain_text("You have not opened any family's records yet.")
    expect(recent.get_by_role("link")).to_have_count(0)
    checkpoint(page, "home-empty")

    # When she opens Ava's episode, then Noah's family record
    page.goto(f"/episodes/{episode.pk}")
    expect(page.get_by_role("main")).to_contain_text("Family of Ava Hughes")
    page.goto(f"/families/{noah.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Family of Noah Patel")
    # And goes back to her home page
    page.get_by_role("link", name="Home").first.click()

    # Then both families are listed, Noah's (opened last) first, each with when
    recent = page.get_by_role("region", name="Recently viewed")
    links = recent.get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_have_text("Family of Noah Patel")
    expect(links.nth(1)).to_have_text("Family of Ava Hughes")
    expect(recent).to_contain_text("Opened today at")
    expect(recent).not_to_contain_text("Isla Moss")
    checkpoint(page, "home-recently-viewed")

    # When she follows Ava's family
    links.nth(1).click()

    # Then she is on Ava's family record
    expect(page).to_have_url(re.compile(rf"/families/{episode.family_id}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Family of Ava Hughes")
    checkpoint(page, "family")

    # When Noah's family moves to another team
    Family.objects.filter(pk=noah.pk).update(team=world.other_team)
    page.goto("/")

    # Then it is no longer listed, and Ava's (opened again just now) comes first
    links = page.get_by_role("region", name="Recently viewed").get_by_role("link")
    expect(links).to_have_count(1)
    expect(links.nth(0)).to_have_text("Family of Ava Hughes")
    checkpoint(page, "home-after-move")
