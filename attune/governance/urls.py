from django.urls import path

from attune.governance import views

app_name = "governance"
urlpatterns = [
    path("audit", views.event_list, name="events"),
    path("audit/records/<str:object_type>/<str:object_id>", views.subject, name="subject"),
    path("audit/people/<uuid:user_id>", views.person, name="person"),
]
