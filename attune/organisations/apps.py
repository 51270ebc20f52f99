from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "attune.organisations"
    label = "organisations"
    verbose_name = "Organisations, teams and roles"

    def ready(self) -> None:
        from attune.organisations import subjects

        subjects.register()
