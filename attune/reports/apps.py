from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "attune.reports"
    label = "reports"
    verbose_name = "Reports and indicators"

    def ready(self) -> None:
        from django.urls import reverse

        from attune.commissioning import report_links

        # The agreement page links to its return without commissioning knowing about reports.
        report_links.register_return(lambda agreement: reverse("reports:agreement", args=[agreement.pk]))
