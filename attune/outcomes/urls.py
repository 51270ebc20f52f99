"""Outcome measures' pages, one module per area: recording and risk alerts; parents' links;
progress over time."""

from attune.outcomes import entry_urls, link_urls, progress_urls

app_name = "outcomes"
urlpatterns = [*entry_urls.urlpatterns, *link_urls.urlpatterns, *progress_urls.urlpatterns]
