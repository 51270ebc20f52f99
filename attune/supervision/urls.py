"""Supervision pages."""

from django.urls import URLPattern, path

from attune.supervision.views import notes, oversight, sessions, standard

app_name = "supervision"
urlpatterns: list[URLPattern] = [
    path("supervision", sessions.sessions, name="sessions"),
    path("supervision/record", sessions.record_session, name="record_session"),
    path("supervision/sessions/<uuid:session_id>", sessions.session, name="session"),
    path(
        "supervision/sessions/<uuid:session_id>/actions/<uuid:action_id>/done",
        sessions.complete_action,
        name="complete_action",
    ),
    path("supervision/compliance", oversight.my_compliance, name="my_compliance"),
    path("teams/<uuid:team_id>/supervision", oversight.team_compliance, name="compliance"),
    path("teams/<uuid:team_id>/supervision/experience", oversight.experience, name="experience"),
    path("supervision/countersigning", oversight.countersign_queue, name="countersign_queue"),
    path("appointments/<uuid:appointment_id>/note/review", notes.note, name="note"),
    path("appointments/<uuid:appointment_id>/note/return", notes.return_note, name="return_note"),
    path("appointments/<uuid:appointment_id>/note/answer", notes.answer_return, name="answer_return"),
    path("supervision/supervisees/<uuid:user_id>/caseload", oversight.supervisee_caseload, name="supervisee_caseload"),
    path("services/<uuid:service_id>/supervision-standard", standard.supervision_standard, name="standard"),
]
