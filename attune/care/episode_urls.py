from django.urls import path

from attune.care.views import episode

urlpatterns = [
    path("episodes/<uuid:episode_id>", episode.episode, name="episode"),
    path("episodes/<uuid:episode_id>/details", episode.details, name="episode_details"),
    path("episodes/<uuid:episode_id>/goals/new", episode.add_goal, name="add_goal"),
    path("episodes/<uuid:episode_id>/goals/<uuid:goal_id>/rate", episode.rate_goal, name="rate_goal"),
    path("episodes/<uuid:episode_id>/discharge", episode.discharge, name="discharge"),
    path("episodes/<uuid:episode_id>/discharge-letter", episode.discharge_letter, name="discharge_letter"),
    path("episodes/<uuid:episode_id>/reopen", episode.reopen, name="reopen"),
]
