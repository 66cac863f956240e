from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "svduty.sharing"
    label = "sharing"

    def ready(self) -> None:
        from . import home  # noqa: F401 - home-page panels register on import
