"""Appointment reminders: the day before, by text message or email, through the outbox.

"The day before" means: every booked appointment (no attendance recorded, not cancelled) that
starts between 20 and 48 hours from the run gets one reminder, the first time a run finds it.
Run `manage.py queue_reminders` at least once a day (hourly is fine: it is idempotent). The
window is wider than a day so a daily run never misses one; the 20-hour floor keeps reminders
from going out for something booked with the family only this morning, or arriving as late as
the visit itself. An appointment booked less than 20 hours ahead gets no reminder.

Where it goes is decided by the family's safe route (families.contact.safe_route): a phone or inbox
marked unsafe is never used, a family who asked for calls or for no contact gets nothing
automated, and the message is kept as withheld with the reason so the team can phone instead.
A reminder says when, where and with whom, and how to cancel: never why the family is seen.
"""

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from attune.care.codes import ContactKind
from attune.care.models import Appointment, Episode
from attune.core import audit
from attune.core.formatting import LONDON, time_short
from attune.families.consent import current_consents
from attune.families.contact import Consents, main_contact, safe_route
from attune.notifications.models import Channel, Message
from attune.notifications.services import Recipient, queue_message

TEMPLATE = "appointment_reminder"
EARLIEST = dt.timedelta(hours=20)
LATEST = dt.timedelta(hours=48)


def day_and_time(starts_at: dt.datetime) -> tuple[str, str]:
    """("Tuesday 1 December", "10:30am"), in London time."""
    local = starts_at.astimezone(LONDON)
    return f"{local:%A} {local.day} {local:%B}", time_short(starts_at)


def where_and_who(appointment: Appointment) -> str:
    """The sentence's middle: what kind of contact, with whom (first name only)."""
    name = appointment.practitioner.full_name.split(" ")[0] if appointment.practitioner.full_name else "Your therapist"
    if appointment.kind == ContactKind.HOME_VISIT:
        return f"{name} will visit you at home"
    if appointment.kind == ContactKind.VIDEO:
        return f"{name} will see you on a video call"
    if appointment.kind == ContactKind.PHONE:
        return f"{name} will phone you"
    site = appointment.site
    if site is None:
        return f"you have an appointment with {name}"
    place = ", ".join(part for part in [site.address, site.postcode] if part)
    return f"you have an appointment with {name} at {site.name}" + (f" ({place})" if place else "")


def route_for(appointment: Appointment, *, consents: Consents | None = None) -> Recipient:
    route = safe_route(appointment.episode.family, consents=consents)
    if route.channel == Channel.LETTER:
        # A letter posted today arrives after the appointment.
        return Recipient(
            route.label, None, withheld_reason="They asked for letters, which would arrive too late: phone them instead"
        )
    return route


def due(now: dt.datetime) -> QuerySet[Appointment]:
    """Booked appointments in the reminder window, in open episodes."""
    return (
        Appointment.objects.filter(starts_at__gte=now + EARLIEST, starts_at__lt=now + LATEST, attendance="")
        .filter(episode__in=Episode.objects.open())
        .order_by("starts_at", "id")
    )


@transaction.atomic
def queue_reminders(now: dt.datetime | None = None) -> int:
    """Queue (or record as withheld) one reminder for each appointment due one and not yet
    reminded. The appointments are locked, so two runs at once remind each one only once.
    Returns how many reminders were written."""
    now = now or timezone.now()
    ids = list(due(now).select_for_update(of=("self",)).values_list("pk", flat=True))
    reminded = set(
        Message.objects.filter(
            about_type=audit.object_type_of(Appointment), about_id__in=[str(pk) for pk in ids], template=TEMPLATE
        ).values_list("about_id", flat=True)
    )
    appointments = list(
        Appointment.objects.filter(pk__in=[pk for pk in ids if str(pk) not in reminded])
        .select_related("episode__family", "episode__team", "practitioner", "site")
        .prefetch_related("episode__family__carers")
        .order_by("starts_at", "id")
    )
    # The run's carers' consents in one query, not one per appointment.
    contacts = [main_contact(appointment.episode.family) for appointment in appointments]
    consents = current_consents([carer for carer in contacts if carer is not None])
    count = 0
    for appointment in appointments:
        day, time = day_and_time(appointment.starts_at)
        queue_message(
            recipient=route_for(appointment, consents=consents),
            template=TEMPLATE,
            context={
                "day": day,
                "time": time,
                "where_and_who": where_and_who(appointment),
                "team": appointment.episode.team,
            },
            about=appointment,
        )
        count += 1
    return count
