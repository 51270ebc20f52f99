from django.urls import URLPattern, path

from attune.documents import recording_views as views

urlpatterns: list[URLPattern] = [
    path("appointments/<uuid:appointment_id>/recordings/new", views.new_recording, name="new_recording"),
    path("recordings/<uuid:recording_id>", views.recording, name="recording"),
    path("recordings/<uuid:recording_id>/stream", views.stream, name="recording_stream"),
    path("recordings/<uuid:recording_id>/erase", views.erase, name="erase_recording"),
    path("recordings/<uuid:recording_id>/training-copy", views.training_copy, name="training_copy"),
]
