"""Factories for the diary's tests: a site with rooms, and appointments at a given London time."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from attune.accounts.models import User
from attune.care.codes import ContactKind
from attune.care.models import Appointment, Episode, Room
from attune.care.tests.factories import AppointmentFactory, RoomFactory
from attune.organisations.models import Site, Team
from attune.organisations.tests.factories import SiteFactory

LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def site_with_rooms(team: Team, name: str = "Daisyfield Family Hub", rooms: tuple[str, ...] = ("Room 1",)) -> Site:
    site: Site = SiteFactory(team=team, name=name)
    for room in rooms:
        RoomFactory(site=site, name=room)
    return site


def room(site: Site, name: str = "Room 1") -> Room:
    return site.rooms.get(name=name)


def appointment(
    episode: Episode, practitioner: User, starts_at: dt.datetime, *, minutes: int = 60, **fields: Any
) -> Appointment:
    """An appointment straight into the diary (no rules checked: for setting the scene)."""
    if "room" in fields and fields["room"] is not None:
        fields.setdefault("site", fields["room"].site)
        fields.setdefault("kind", ContactKind.FAMILY_HUB)
    made: Appointment = AppointmentFactory(
        episode=episode,
        practitioner=practitioner,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        **fields,
    )
    return made
