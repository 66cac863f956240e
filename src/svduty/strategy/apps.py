from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "svduty.strategy"
    label = "strategy"

    def ready(self) -> None:
        from svduty.partnership.signals import definition_agreed

        from . import home  # noqa: F401 - home-page panels register on import
        from .actions.sign_off import void_for_definition_change

        def _definition_agreed(sender, *, partnership, **kwargs) -> None:
            void_for_definition_change(partnership)

        definition_agreed.connect(
            _definition_agreed, weak=False, dispatch_uid="strategy_sign_offs_void"
        )
