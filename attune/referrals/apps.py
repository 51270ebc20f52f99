from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "attune.referrals"
    label = "referrals"
    verbose_name = "Referrals and triage"

    def ready(self) -> None:
        from attune.families import scope as family_scope
        from attune.referrals import subjects
        from attune.referrals.views.staff import family_referrals

        subjects.register()
        # The family page lists the family's referrals without the families app importing this one.
        family_scope.register_related("referrals", family_referrals)
