from django.urls import path

from attune.care.views import diary

urlpatterns = [
    path("appointments/<uuid:appointment_id>", diary.appointment, name="appointment"),
]
