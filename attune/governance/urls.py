from django.urls import path

from attune.governance import views

app_name = "governance"
urlpatterns = [
    path("audit", views.event_list, name="events"),
    path("audit/find", views.find, name="find"),
    path("audit/families/<uuid:family_id>", views.family_access, name="family_access"),
    path("audit/families/<uuid:family_id>/access-report.csv", views.family_access_report, name="family_access_report"),
    path("audit/records/<str:object_type>/<str:object_id>", views.subject, name="subject"),
    path("audit/people/<uuid:user_id>", views.person, name="person"),
]
