from django.urls import path

from attune.care.views import episode

urlpatterns = [
    path("episodes/<uuid:episode_id>", episode.episode, name="episode"),
]
