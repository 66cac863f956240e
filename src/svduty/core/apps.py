from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "svduty.core"
    label = "core"
    verbose_name = "Core"
