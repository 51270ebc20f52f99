from django.urls import path

from attune.care.views import diary, interpreters

urlpatterns = [
    path("diary", diary.my_diary, name="my_diary"),
    path("teams/<uuid:team_id>/diary/<uuid:user_id>", diary.practitioner_diary, name="practitioner_diary"),
    path("teams/<uuid:team_id>/sites/diary", diary.site_diary, name="site_diary"),
    path("episodes/<uuid:episode_id>/appointments/new", diary.book, name="book"),
    path("appointments/<uuid:appointment_id>", diary.appointment, name="appointment"),
    path("appointments/<uuid:appointment_id>/attendance", diary.record_attendance, name="record_attendance"),
    path("appointments/<uuid:appointment_id>/check-in", diary.check_in, name="check_in"),
    path("appointments/<uuid:appointment_id>/check-out", diary.check_out, name="check_out"),
    path("appointments/<uuid:appointment_id>/note", diary.note, name="note"),
    path("appointments/<uuid:appointment_id>/addendum", diary.add_addendum, name="add_addendum"),
    path("appointments/<uuid:appointment_id>/countersign", diary.countersign, name="countersign"),
    path("appointments/<uuid:appointment_id>/interpreter", interpreters.interpreter, name="interpreter"),
    path(
        "appointments/<uuid:appointment_id>/interpreter/<uuid:booking_id>/confirm",
        interpreters.confirm_interpreter,
        name="confirm_interpreter",
    ),
    path(
        "appointments/<uuid:appointment_id>/interpreter/<uuid:booking_id>/cancel",
        interpreters.cancel_interpreter,
        name="cancel_interpreter",
    ),
]
