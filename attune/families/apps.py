from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "attune.families"
    label = "families"
    verbose_name = "Families"

    def ready(self) -> None:
        from attune.families import consent_setup, language_setup, safeguarding_setup, subjects

        subjects.register()
        consent_setup.register()
        safeguarding_setup.register()
        language_setup.register()
