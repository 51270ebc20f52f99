from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "attune.care"
    label = "care"
    verbose_name = "Care: waiting list, episodes, diary, notes"

    def ready(self) -> None:
        from attune.care import subjects
        from attune.care.views.episode import family_episodes
        from attune.families import scope as family_scope

        subjects.register()
        # The family page lists the family's episodes without the families app importing this one.
        family_scope.register_related("episodes", family_episodes)
