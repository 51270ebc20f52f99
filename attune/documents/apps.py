from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "attune.documents"
    label = "documents"
    verbose_name = "Documents and video recordings"

    def ready(self) -> None:
        from attune.documents import document_setup, recording_setup

        document_setup.register()
        recording_setup.register()
