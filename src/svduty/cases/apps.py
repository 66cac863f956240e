from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "svduty.cases"
    label = "cases"

    def ready(self) -> None:
        # Home-page panels (svduty.core.home) register themselves on import.
        from . import (
            home,  # noqa: F401
            retention,
            subject_access,
        )

        retention.register()
        subject_access.register()
