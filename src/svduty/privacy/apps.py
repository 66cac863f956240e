from django.apps import AppConfig
from django.core import checks


class PrivacyConfig(AppConfig):
    name = "svduty.privacy"
    label = "privacy"
    verbose_name = "Data protection: retention and subject access"

    def ready(self) -> None:
        from . import home, rules  # noqa: F401 - home-page panels register on import
        from .checks import check_retention_configuration

        rules.register()
        rules.register_sources()
        checks.register(check_retention_configuration)
