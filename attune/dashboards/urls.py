from django.urls import path

from attune.dashboards import views, views_leavers

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/<uuid:user_id>/handover", views_leavers.handover, name="handover"),
]
