from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "svduty.meetings"
    label = "meetings"
    verbose_name = "Multi-agency meetings"

    def ready(self) -> None:
        # The child's record offers its own agenda triggers; other apps register
        # theirs the same way from their ready() (see triggers.py).
        from .triggers import register_cases_triggers

        register_cases_triggers()
