"""The diary: a person's week, a colleague's week, a site's rooms, booking an appointment, and
the appointment itself with attendance, lone working and the clinical note. Every change is one
care service; a refusal is shown on the page with everything typed kept."""

import uuid
from functools import partial
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from attune.accounts.models import User
from attune.care import interpreter_scope, interpreters, services
from attune.care import queries as care_queries
from attune.care import scope as care_scope
from attune.care.forms import diary as forms
from attune.care.models import Appointment, NoteStatus
from attune.care.presenters import diary as presenters
from attune.care.presenters import interpreters as interpreter_presenters
from attune.core import audit
from attune.core.formatting import paragraphs, time_short
from attune.families.banner import banner_for
from attune.families.naming import family_title
from attune.organisations.models import Team
from attune.organisations.roles import Capability, Role
from attune.organisations.scope import ScopedRequest

# Diaries ------------------------------------------------------------------------------------------


def my_diary(request: ScopedRequest) -> HttpResponse:
    """The signed-in person's week, with links to the other diaries in their teams."""
    scope = request.scope
    scope.require(Capability.WORK_WITH_FAMILIES, "care.diary")
    teams = scope.held_teams(Capability.WORK_WITH_FAMILIES)
    members = care_queries.diary_members_of(teams)
    return _diary(
        request,
        person=request.user,
        url=reverse("care:my_diary"),
        heading="Your diary",
        caption="",
        others=presenters.team_diaries(teams, members, viewer=request.user),
    )


def practitioner_diary(request: ScopedRequest, team_id: uuid.UUID, user_id: uuid.UUID) -> HttpResponse:
    """A colleague's week, for a coordinator booking for them or a colleague planning a joint visit."""
    scope = request.scope
    team = care_scope.get_work_team(scope, team_id)
    person = care_scope.get_team_member(scope, team, user_id)
    return _diary(
        request,
        person=person,
        url=reverse("care:practitioner_diary", args=[team.pk, person.pk]),
        heading=f"{person.full_name}'s diary",
        caption=team.name,
        others=[],
    )


def _diary(
    request: ScopedRequest,
    *,
    person: User,
    url: str,
    heading: str,
    caption: str,
    others: list[presenters.TeamDiaries],
) -> HttpResponse:
    today = timezone.localdate()
    monday = presenters.chosen_week(request.GET.get("week"), today)
    starts, ends = presenters.week_bounds(monday)
    booked = list(care_scope.diary(request.scope, person, starts, ends))
    audit.record(
        action="diary.viewed",
        actor=request.actor,
        obj=person,
        detail={"week": monday.isoformat(), "count": len(booked)},
    )
    return render(
        request,
        "care/diary/diary.jinja",
        {
            "heading": heading,
            "caption": caption,
            "nav": presenters.week_nav(url, monday, today),
            "summary": presenters.diary_summary(booked),
            "days": presenters.diary_days(booked, monday, today=today, now=timezone.now(), person=person),
            "head": presenters.DIARY_HEAD,
            "others": others,
        },
    )


def site_diary(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    """One of the team's sites for a week, room by room, so a coordinator can see which are free.
    The site is chosen with ?site=, the first one otherwise."""
    scope = request.scope
    team = care_scope.get_work_team(scope, team_id)
    sites = care_queries.team_sites(team)
    site = presenters.chosen_site(sites, request.GET.get("site"))
    today = timezone.localdate()
    monday = presenters.chosen_week(request.GET.get("week"), today)
    starts, ends = presenters.week_bounds(monday)
    rooms = []
    if site is not None:
        booked = list(care_scope.site_bookings(scope, site, starts, ends))
        rooms = presenters.site_week(list(site.rooms.all()), booked)
    audit.record(
        action="diary.site_viewed",
        actor=request.actor,
        obj=site or team,
        detail={"week": monday.isoformat(), "team": str(team.pk)},
    )
    url = reverse("care:site_diary", args=[team.pk])
    return render(
        request,
        "care/diary/site.jinja",
        {
            "team": team,
            "site": site,
            "site_items": presenters.site_choices(sites, site),
            "show_site_choice": len(sites) > 1,
            "nav": presenters.week_nav(url, monday, today, query=f"site={site.pk}&" if site else ""),
            "week": monday.isoformat(),
            "rooms": rooms,
            "head": presenters.SITE_HEAD,
            "form_url": url,
        },
    )


# Booking ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def book(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    scope = request.scope
    episode = care_scope.get_episode(scope, episode_id)
    lead = care_queries.episode_lead(episode)
    people = list(care_queries.diary_members(episode.team))
    if lead is not None and all(person.pk != lead.pk for person in people):
        people.insert(0, lead)
    rooms = list(care_queries.team_rooms(episode.team))
    if request.method == "GET":
        form = forms.BookingForm(people=people, rooms=rooms, initial={"practitioner": str(lead.pk) if lead else ""})
        audit.record(action="appointment.booking_opened", actor=request.actor, obj=episode, family_id=episode.family_id)
        return _render_book(request, episode, form)
    form = forms.BookingForm(request.POST, people=people, rooms=rooms)
    if not form.is_valid():
        return _render_book(request, episode, form)
    room = form.room_chosen()
    try:
        appointment = services.book_appointment(
            actor=request.actor,
            episode=episode,
            kind=form.cleaned_data["kind"],
            starts_at=form.starts_at(),
            ends_at=form.ends_at(),
            practitioner=form.practitioner_chosen(),
            second_practitioner=form.second_chosen(),
            site=room.site if room else None,
            room=room,
        )
    except services.CareError as refused:
        form.add_error(form.field_for(str(refused)), str(refused))
        return _render_book(request, episode, form)
    messages.success(request, presenters.booked_message(appointment))
    return redirect("care:appointment", appointment_id=appointment.pk)


def _render_book(request: ScopedRequest, episode: Any, form: forms.BookingForm) -> HttpResponse:
    family = episode.family
    return render(
        request,
        "care/diary/book.jinja",
        {
            "episode": episode,
            "form": form,
            "title": family_title(family),
            "banner": banner_for(family),
            "closed": not care_queries.episode_is_open(episode),
            "episode_url": reverse("care:episode", args=[episode.pk]),
            "site_diary_url": reverse("care:site_diary", args=[episode.team_id]),
            "error_list": _error_list(form),
        },
    )


# The appointment ----------------------------------------------------------------------------------


def appointment(request: ScopedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    found = care_scope.get_appointment(request.scope, appointment_id)
    audit.record(action="appointment.viewed", actor=request.actor, obj=found, family_id=found.episode.family_id)
    return _render_appointment(request, found)


def _render_appointment(
    request: ScopedRequest,
    found: Appointment,
    *,
    attendance_form: forms.AttendanceForm | None = None,
    note_form: forms.NoteForm | None = None,
    addendum_form: forms.AddendumForm | None = None,
    problem: tuple[str, str] | None = None,
    check_in_question: str = "",
) -> HttpResponse:
    """The page, with any form that was posted and refused kept as it was typed. `problem`: a
    refused button (check in, countersign), with the part of the page it is about;
    `check_in_question`: a check-in far from the booked time, to confirm."""
    user = request.user
    now = timezone.now()
    episode = found.episode
    family = episode.family
    note = care_queries.note_of(found)
    team: Team = episode.team
    supervises = Role.SUPERVISOR in request.scope.team_roles.get(team.pk, frozenset())
    if not found.attendance and attendance_form is None:
        attendance_form = _attendance_form(found)
    signed = note is not None and note.status == NoteStatus.SIGNED
    # A refused post shows its form again even over a colleague's draft, so nothing typed is lost.
    someone_elses = presenters.draft_by_someone_else(note, user) if note_form is None else ""
    if not signed and not someone_elses and note_form is None:
        note_form = forms.NoteForm(initial={"body": note.body if note else ""})
    if signed and addendum_form is None:
        addendum_form = forms.AddendumForm()
    error_list = _error_list(attendance_form, note_form, addendum_form)
    if problem is not None:
        error_list.append({"text": problem[0], "href": problem[1]})
    day = presenters.local_day(found.starts_at)
    page = presenters.AppointmentPage(
        appointment=found,
        title=family_title(family),
        banner=banner_for(family),
        heading=f"{found.get_kind_display()}, {presenters.day_long(day)}",
        summary_rows=presenters.appointment_rows(found, care_queries.reminder_of(found)),
        attendance_rows=presenters.attendance_rows(found) if found.attendance else [],
        attendance_form=attendance_form if not found.attendance else None,
        attendance_hint=presenters.attendance_hint(found, now),
        lone_working=presenters.lone_working(found, user=user, today=timezone.localdate()),
        note_form=note_form if not signed and not someone_elses else None,
        draft_by_other=someone_elses,
        draft_paragraphs=paragraphs(note.body) if note is not None and someone_elses else [],
        signed=presenters.signed_note(note, user=user, supervises_team=supervises)
        if note is not None and signed
        else None,
        addendum_form=addendum_form if signed else None,
        error_list=error_list,
        diary_url=reverse("care:my_diary") + f"?week={day.isoformat()}",
        check_in_question=check_in_question,
        interpreter=interpreter_presenters.section(
            found, interpreter_scope.bookings_of(found), interpreters.bookable_problem(found)
        ),
        holds_session=user.pk in {found.practitioner_id, found.second_practitioner_id},
    )
    return render(request, "care/diary/appointment.jinja", {"page": page})


def _attendance_form(found: Appointment, data: Any = None) -> forms.AttendanceForm:
    people = presenters.person_choices(found.episode.infants.all(), found.episode.carers.all())
    upcoming = found.starts_at > timezone.now()
    initial = {} if upcoming or data is not None else care_queries.contact_details_offered(found)
    return forms.AttendanceForm(data, people=people, upcoming=upcoming, initial=initial)


def _error_list(*posted: django_forms.Form | None) -> list[dict[str, str]]:
    """The error summary's items: each error links to its field; an error about the whole form to
    its first field."""
    items: list[dict[str, str]] = []
    for form in posted:
        if form is None or not form.is_bound or not form.errors:
            continue
        first = form.visible_fields()[0]
        items.extend({"text": str(error), "href": f"#{first.id_for_label}"} for error in form.non_field_errors())
        for bound in form:
            if bound.errors:
                items.append({"text": str(bound.errors[0]), "href": f"#{bound.id_for_label}"})
    return items


@require_POST
def record_attendance(request: ScopedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    found = care_scope.get_appointment(request.scope, appointment_id)
    form = _attendance_form(found, request.POST)
    if not form.is_valid():
        return _render_appointment(request, found, attendance_form=form)
    infants = [i for i in found.episode.infants.all() if str(i.pk) in form.chosen("infant")]
    carers = [c for c in found.episode.carers.all() if str(c.pk) in form.chosen("carer")]
    try:
        recorded = services.record_attendance(
            actor=request.actor,
            appointment=found,
            attendance=form.cleaned_data["attendance"],
            infants=infants,
            carers=carers,
            **form.contact_details(),
        )
    except services.CareError as refused:
        form.add_error(_attendance_field(str(refused)), str(refused))
        return _render_appointment(request, found, attendance_form=form)
    messages.success(request, f"Attendance recorded: {recorded.get_attendance_display()}.")
    return redirect("care:appointment", appointment_id=found.pk)


def _attendance_field(message: str) -> str:
    """Which field a refusal from record_attendance is about."""
    if message.startswith("Select how"):
        return "consultation_mechanism"
    if message.startswith("Select where"):
        return "activity_location_type"
    if message.startswith("Select the role"):
        return "professional_role"
    return "attendance"


@require_POST
def check_in(request: ScopedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    """Check in; far from the booked time, ask first (the question posts back `confirmed`)."""
    confirmed = request.POST.get("confirmed") == "yes"
    return _lone_working(
        request,
        appointment_id,
        partial(services.check_in, confirmed=confirmed),
        "Checked in at {time}. Remember to check out.",
    )


@require_POST
def check_out(request: ScopedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    return _lone_working(request, appointment_id, services.check_out, "Checked out at {time}.")


def _lone_working(request: ScopedRequest, appointment_id: uuid.UUID, action: Any, done: str) -> HttpResponse:
    found = care_scope.get_appointment(request.scope, appointment_id)
    try:
        action(actor=request.actor, appointment=found)
    except services.CheckInNeedsConfirming as question:
        return _render_appointment(request, found, check_in_question=str(question))
    except services.CareError as refused:
        return _render_appointment(request, found, problem=(str(refused), "#lone-working"))
    messages.success(request, done.format(time=time_short(timezone.now())))
    return redirect("care:appointment", appointment_id=found.pk)


@require_POST
def note(request: ScopedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    """Save the draft, or save and sign it (action=sign). Signing refused leaves the draft as it
    was before, and the text typed stays on the page."""
    found = care_scope.get_appointment(request.scope, appointment_id)
    form = forms.NoteForm(request.POST)
    signing = request.POST.get("action") == "sign"
    if not form.is_valid():
        return _render_appointment(request, found, note_form=form)
    body = form.cleaned_data["body"]
    if not signing and not body.strip():
        form.add_error("body", "Write the note before saving it")
        return _render_appointment(request, found, note_form=form)
    try:
        with transaction.atomic():
            saved = services.save_note(actor=request.actor, appointment=found, body=body)
            if signing:
                saved = services.sign_note(actor=request.actor, note=saved)
    except services.CareError as refused:
        form.add_error("body", str(refused))
        return _render_appointment(request, found, note_form=form)
    if not signing:
        messages.success(request, "Draft saved. Sign the note when it is finished.")
    elif saved.needs_countersignature:
        messages.success(request, "Note signed and locked. A clinical supervisor will be asked to countersign it.")
    else:
        messages.success(request, "Note signed and locked.")
    return redirect("care:appointment", appointment_id=found.pk)


@require_POST
def add_addendum(request: ScopedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    found = care_scope.get_appointment(request.scope, appointment_id)
    form = forms.AddendumForm(request.POST)
    signed = care_queries.note_of(found)
    if not form.is_valid():
        return _render_appointment(request, found, addendum_form=form)
    if signed is None:
        return _render_appointment(request, found, problem=("Write and sign the note first", "#note"))
    try:
        services.add_addendum(actor=request.actor, note=signed, body=form.cleaned_data["addendum"])
    except services.CareError as refused:
        form.add_error("addendum", str(refused))
        return _render_appointment(request, found, addendum_form=form)
    messages.success(request, "Addendum added to the note.")
    return redirect("care:appointment", appointment_id=found.pk)


@require_POST
def countersign(request: ScopedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    found = care_scope.get_appointment(request.scope, appointment_id)
    signed = care_queries.note_of(found)
    if signed is None:
        return _render_appointment(request, found, problem=("There is no note to countersign", "#note"))
    try:
        services.countersign_note(actor=request.actor, note=signed)
    except services.CareError as refused:
        return _render_appointment(request, found, problem=(str(refused), "#note"))
    messages.success(request, f"You countersigned {signed.author.full_name}'s note.")
    return redirect("care:appointment", appointment_id=found.pk)
