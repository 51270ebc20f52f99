from django.urls import include, path

app_name = "documents"
urlpatterns = [
    path("", include("attune.documents.document_urls")),
    path("", include("attune.documents.recording_urls")),
]
