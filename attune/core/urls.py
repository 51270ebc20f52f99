from django.urls import path

from attune.core import views

app_name = "core"
urlpatterns = [
    path("accessibility", views.accessibility, name="accessibility"),
    path("clinical-safety", views.clinical_safety, name="clinical_safety"),
]
