from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "attune.organisations"
    label = "organisations"
    verbose_name = "Organisations, teams and roles"

    def ready(self) -> None:
        from attune.organisations import subjects

        subjects.register()

        from datetime import timedelta

        from attune.core import jobs
        from attune.organisations.jobs import disable_leavers_today

        jobs.register(
            "disable_leavers",
            disable_leavers_today,
            every=timedelta(days=1),
            description="Disable the accounts of people whose roles have all ended",
        )
