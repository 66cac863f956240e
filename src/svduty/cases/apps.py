from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "svduty.cases"
    label = "cases"

    def ready(self) -> None:
        from . import retention

        retention.register()
