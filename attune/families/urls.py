from django.urls import include, path

from attune.families import views

app_name = "families"
urlpatterns = [
    path("families/<uuid:family_id>", views.family, name="family"),
    path("families/<uuid:family_id>/flags/new", views.raise_flag, name="raise_flag"),
    path("families/<uuid:family_id>/flags/<uuid:flag_id>/remove", views.remove_flag, name="remove_flag"),
    path("families/<uuid:family_id>/infants/<uuid:infant_id>/birth", views.record_birth, name="record_birth"),
    path("families/<uuid:family_id>/duplicates", views.check_duplicates, name="check_duplicates"),
    path("families/<uuid:family_id>/merges/<uuid:merge_id>/undo", views.undo_merge, name="undo_merge"),
    path("", include("attune.families.consent_urls")),
    path("", include("attune.families.safeguarding_urls")),
    path("", include("attune.families.language_urls")),
]
