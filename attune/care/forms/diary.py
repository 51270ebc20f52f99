"""Booking an appointment, recording attendance, writing a note and adding an addendum. Forms
collect and keep what was typed; the care services decide what is allowed, and their refusals are
put next to the field they are about."""

import datetime as dt
from typing import Any

from django import forms

from attune.accounts.models import User
from attune.care.codes import (
    AT_A_SITE,
    ATTENDED,
    ActivityLocationType,
    Attendance,
    ConsultationMechanism,
    ContactKind,
    ProfessionalRole,
)
from attune.care.models import CANCELLED, Room
from attune.care.presenters.diary import practitioner_label, room_label
from attune.core.formatting import LONDON, TIME_HINT, parse_time
from attune.nhsuk_forms import fields


def _time_field(label: str, what: str) -> fields.CharField:
    return fields.CharField(
        label=label,
        hint=TIME_HINT,
        classes="nhsuk-input--width-5",
        max_length=10,
        error_messages={"required": f"Enter the {what} time", "max_length": f"Enter a real {what} time, like 9:30am"},
    )


class BookingForm(forms.Form):
    kind = fields.ChoiceField(
        label="Type of contact",
        choices=ContactKind.choices,
        error_messages={"required": "Select the type of contact", "invalid_choice": "Select the type of contact"},
    )
    date = fields.DateField(label="Date", hint="For example, 15 3 2027", error_messages={"required": "Enter the date"})
    start_time = _time_field("Start time", "start")
    end_time = _time_field("End time", "end")
    practitioner = fields.SelectField(
        label="Practitioner",
        error_messages={"required": "Select the practitioner", "invalid_choice": "Select the practitioner"},
    )
    second_practitioner = fields.SelectField(
        label="Second practitioner (optional)",
        required=False,
        error_messages={"invalid_choice": "Select the second practitioner, or none"},
    )
    room = fields.SelectField(
        label="Room",
        hint="Only for contacts at a family hub or clinic",
        required=False,
        error_messages={"invalid_choice": "Select the room"},
    )

    def __init__(self, *args: Any, people: list[User], rooms: list[Room], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in people}
        self.rooms = {str(room.pk): room for room in rooms}
        choices = [(pk, practitioner_label(person)) for pk, person in self.people.items()]
        self.fields["practitioner"].choices = choices  # type: ignore[attr-defined]
        self.fields["second_practitioner"].choices = [("", "None"), *choices]  # type: ignore[attr-defined]
        self.fields["room"].choices = [("", "Select a room"), *((pk, room_label(r)) for pk, r in self.rooms.items())]  # type: ignore[attr-defined]

    def _clean_time(self, name: str, what: str) -> dt.time | None:
        text = self.cleaned_data.get(name, "")
        found = parse_time(text)
        if found is None:
            raise forms.ValidationError(f"Enter a real {what} time, like 9:30am or 14:30")
        return found

    def clean_start_time(self) -> dt.time | None:
        return self._clean_time("start_time", "start")

    def clean_end_time(self) -> dt.time | None:
        return self._clean_time("end_time", "end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in AT_A_SITE and not data.get("room"):
            self.add_error("room", "Select the room for a contact at a family hub or clinic")
        second = data.get("second_practitioner")
        if second and second == data.get("practitioner"):
            self.add_error("second_practitioner", "Choose a different second practitioner, or none")
        return data

    # What to book, once valid ---------------------------------------------------------------

    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["start_time"], tzinfo=LONDON)

    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["end_time"], tzinfo=LONDON)

    def practitioner_chosen(self) -> User:
        return self.people[self.cleaned_data["practitioner"]]

    def second_chosen(self) -> User | None:
        value = self.cleaned_data.get("second_practitioner")
        return self.people[value] if value else None

    def room_chosen(self) -> Room | None:
        """The room, for a contact at a site; a room picked for a home visit or call is ignored."""
        value = self.cleaned_data.get("room")
        if not value or self.cleaned_data["kind"] not in AT_A_SITE:
            return None
        return self.rooms[value]

    def field_for(self, message: str) -> str | None:
        """Which field a refusal from book_appointment is about."""
        room = self.room_chosen()
        second = self.second_chosen()
        if room is not None and message.startswith(room.name):
            return "room"
        if second is not None and message.startswith(second.full_name):
            return "second_practitioner"
        if message.startswith(self.practitioner_chosen().full_name):
            return "practitioner"
        for start, name in REFUSALS.items():
            if message.startswith(start):
                return name
        return None


# The start of each of book_appointment's refusals, and the field it is about.
REFUSALS = {
    "The end time": "end_time",
    "An appointment cannot be longer": "end_time",
    "The appointment must be after": "date",
    "Select the site": "room",
    "Only appointments at a family hub": "room",
    "That room": "room",
    "Choose a different second": "second_practitioner",
}


# The Mental Health Services Data Set's items asked with attendance (ADR 0022).
CONTACT_DETAILS = ("consultation_mechanism", "activity_location_type", "professional_role")


class AttendanceForm(forms.Form):
    attendance = fields.ChoiceField(
        label="What happened?",
        choices=Attendance.choices,
        error_messages={"required": "Select what happened at the appointment"},
    )
    attended = fields.MultipleChoiceField(
        label="Who attended?",
        hint="Select everyone who came, if they attended or arrived late and were seen",
        required=False,
    )
    # What the Mental Health Services Data Set needs of every contact (ADR 0022), offered from the
    # kind of contact so that usually nothing needs changing. Not required here: what is not sent
    # is taken from the kind of contact by record_attendance, which never leaves an attended
    # contact without a mechanism.
    consultation_mechanism = fields.SelectField(
        label="How was the contact held?",
        choices=ConsultationMechanism.choices,
        required=False,
        error_messages={"invalid_choice": "Select how the contact was held"},
    )
    activity_location_type = fields.SelectField(
        label="Where did you see the family?",
        hint="Leave as not applicable for a call or video",
        choices=[("", "Not applicable"), *ActivityLocationType.choices],
        required=False,
        error_messages={"invalid_choice": "Select where you saw the family"},
    )
    professional_role = fields.SelectField(
        label="Your role in this contact",
        choices=ProfessionalRole.choices,
        required=False,
        error_messages={"invalid_choice": "Select the role you held the contact in"},
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], upcoming: bool = False, **kwargs: Any) -> None:
        """`upcoming`: the appointment has not started, so only a cancellation is possible, and
        nobody can have attended yet."""
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = people  # type: ignore[attr-defined]
        if upcoming:
            attendance = self.fields["attendance"]
            attendance.choices = [(code, Attendance(code).label) for code in CANCELLED]  # type: ignore[attr-defined]
            attendance.label = "Why is the appointment cancelled?"
            attendance.error_messages = {
                "required": "Select why the appointment is cancelled",
                "invalid_choice": "This appointment has not happened yet. Select why it is cancelled",
            }
            del self.fields["attended"]
            # A cancellation keeps what the kind of contact says; there is nothing to ask.
            for name in CONTACT_DETAILS:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "attended" in self.fields and data.get("attendance") in ATTENDED and not data.get("attended"):
            self.add_error("attended", "Select who attended")
        if (
            data.get("attendance") in ATTENDED
            and data.get("consultation_mechanism") == ConsultationMechanism.FACE_TO_FACE
            and "activity_location_type" in self.fields
            and not data.get("activity_location_type")
        ):
            self.add_error("activity_location_type", "Select where you saw the family")
        return data

    def contact_details(self) -> dict[str, str]:
        """How, where and in what role, as sent, for record_attendance; what was not sent (a
        cancellation before the day has no such fields) takes what the kind of contact says."""
        return {
            name: self.cleaned_data.get(name, "")
            for name in CONTACT_DETAILS
            if name in self.data and name in self.fields
        }

    def chosen(self, kind: str) -> list[str]:
        """The ids of the infants or carers chosen."""
        prefix = f"{kind}:"
        return [
            value.removeprefix(prefix) for value in self.cleaned_data.get("attended", []) if value.startswith(prefix)
        ]


class NoteForm(forms.Form):
    body = fields.TextareaField(
        label="Note",
        hint="What happened in the session, what you noticed and what you agreed. You can save a draft and sign it later.",
        required=False,
        rows=10,
        max_length=20000,
        error_messages={"max_length": "Note must be 20,000 characters or fewer"},
    )


class AddendumForm(forms.Form):
    addendum = fields.TextareaField(
        label="Add an addendum",
        hint="The signed note cannot be changed. An addendum is added below it with your name and the time.",
        rows=4,
        max_length=5000,
        error_messages={"required": "Write the addendum", "max_length": "Addendum must be 5,000 characters or fewer"},
    )
