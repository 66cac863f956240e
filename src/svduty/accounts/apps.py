from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "svduty.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import (
            home,  # noqa: F401  (home-page panels register on import)
            signals,  # noqa: F401  (sign-in/out and lock-out audit receivers)
            totp,
        )

        totp.install()
