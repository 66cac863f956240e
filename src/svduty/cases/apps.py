from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "svduty.cases"
    label = "cases"

    def ready(self) -> None:
        from . import retention, subject_access

        retention.register()
        subject_access.register()
