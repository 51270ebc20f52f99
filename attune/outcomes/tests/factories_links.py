"""Helpers for the questionnaire-link tests: a link sent as a practitioner would send it."""

from collections.abc import Sequence

from attune.accounts.models import User
from attune.care.models import Episode
from attune.core.actors import Actor
from attune.core.testing.actors import acting
from attune.outcomes import instruments, links
from attune.outcomes.models import LicensedWording, QuestionnaireLink

# The address staff reach Attune at in tests (the test client's host).
SITE = "http://testserver"


def staff_request(user: User) -> Actor:
    return acting(user)


def parent_request() -> Actor:
    """A parent on their phone: nobody signed in."""
    return acting(None)


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/q/", 1)[1]


def send(
    episode: Episode, by: User, codes: Sequence[str] = ("PHQ9", "GAD7"), time_point: str = "assessment"
) -> tuple[QuestionnaireLink, str]:
    """Send a link to the episode's (first) carer; returns the link and its token."""
    link, url = links.send_link(
        actor=staff_request(by),
        episode=episode,
        carer=episode.carers.order_by("created_at").first(),  # type: ignore[arg-type]
        instruments=list(codes),
        time_point=time_point,
        site_url=SITE,
    )
    return link, token_of(url)


def answers(code: str, position: int = 0, **items: int) -> list[int | None]:
    """Every item answered with the option at `position`, except items given as item_N=position."""
    definition = instruments.get(code)
    return [items.get(f"item_{item.number}", position) for item in definition.items]


def load_wording(code: str = "EPDS") -> LicensedWording:
    """The service's licensed wording for a measure that ships without it (EPDS, KPCS)."""
    count = len(instruments.get(code).items)
    return LicensedWording.objects.create(
        instrument=code,
        items={str(n): f"Licensed item {n} wording" for n in range(1, count + 1)},
        licence_note="Held by the trust",
        loaded_by="test",
    )
