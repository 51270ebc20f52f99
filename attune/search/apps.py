from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "attune.search"
    label = "search"
    verbose_name = "Search"
