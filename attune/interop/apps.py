from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "attune.interop"
    label = "interop"
    verbose_name = "Data in and out"

    def ready(self) -> None:
        from attune.interop import api_setup, fhir_setup, import_setup, mhsds_setup

        import_setup.register()
        mhsds_setup.register()
        fhir_setup.register()
        api_setup.register()
