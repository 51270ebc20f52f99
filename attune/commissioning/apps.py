from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "attune.commissioning"
    label = "commissioning"
    verbose_name = "Commissioning: funders, agreements and costs"
