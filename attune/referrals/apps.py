from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "attune.referrals"
    label = "referrals"
    verbose_name = "Referrals and triage"

    def ready(self) -> None:
        from attune.referrals import subjects

        subjects.register()
