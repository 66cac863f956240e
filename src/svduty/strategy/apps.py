from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "svduty.strategy"
    label = "strategy"
