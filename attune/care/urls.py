"""The care pathway's pages, one module per area: the waiting list, allocation and caseloads;
the episode; the diary, appointments and notes; rooms; the service's intervention weights."""

from attune.care import diary_urls, episode_urls, rooms_urls, settings_urls, waiting_urls

app_name = "care"
urlpatterns = [
    *waiting_urls.urlpatterns,
    *episode_urls.urlpatterns,
    *diary_urls.urlpatterns,
    *rooms_urls.urlpatterns,
    *settings_urls.urlpatterns,
]
