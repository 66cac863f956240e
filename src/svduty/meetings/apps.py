from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "svduty.meetings"
    label = "meetings"
    verbose_name = "Multi-agency meetings"

    def ready(self) -> None:
        from . import subject_access

        # Subject access lists what this app holds about a person (privacy app).
        subject_access.register()
        # The child's record offers its own agenda triggers; other apps register
        # theirs the same way from their ready() (see triggers.py).
        from svduty.cases.panels import RecordPanel, register_record_panel
        from svduty.core.authorisation import Permission

        from .place_triggers import register_place_triggers
        from .triggers import register_cases_triggers

        register_cases_triggers()
        register_place_triggers()
        # The child's page links to (and htmx loads) the child's part of every
        # meeting, without cases importing meetings.
        register_record_panel(
            RecordPanel(
                title="Meetings",
                url_name="meetings:child",
                permission=Permission.VIEW_CASES,
            )
        )
