from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "svduty.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            composedsql,
        )
        from .taskrecovery import connect

        connect()
        composedsql.connect()
