from django.urls import path

from attune.families import language_views

urlpatterns = [
    path(
        "families/<uuid:family_id>/carers/<uuid:carer_id>/language",
        language_views.carer_language,
        name="carer_language",
    ),
]
