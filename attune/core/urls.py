from django.urls import path

from attune.core import views

app_name = "core"
urlpatterns = [
    path("accessibility", views.accessibility, name="accessibility"),
]
