from django.apps import AppConfig


class NonprodConfig(AppConfig):
    """Demo data and load generators. Installed by the local and test settings only."""

    name = "attune.nonprod"
    label = "nonprod"
    verbose_name = "Demo and load data"
