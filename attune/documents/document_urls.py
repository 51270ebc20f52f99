from django.urls import URLPattern, path

from attune.documents import document_views as views

urlpatterns: list[URLPattern] = [
    path("families/<uuid:family_id>/documents/new", views.upload, name="upload"),
    path("documents/<uuid:document_id>", views.document, name="document"),
    path("documents/<uuid:document_id>/exchange", views.mark_exchanged, name="mark_exchanged"),
    path("documents/<uuid:document_id>/remove", views.remove, name="remove"),
    path("documents/<uuid:document_id>/download", views.download, name="download"),
]
