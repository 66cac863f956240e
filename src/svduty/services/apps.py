from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "svduty.services"
    label = "services"
    verbose_name = "Services and interventions"

    def ready(self) -> None:
        from . import subject_access

        # Subject access lists what this app holds about a person (privacy app).
        subject_access.register()
        from svduty.cases.panels import RecordPanel, register_record_panel
        from svduty.core.authorisation import Permission

        register_record_panel(
            RecordPanel(
                title="Services and interventions",
                url_name="services:person_panel",
                permission=Permission.VIEW_CASES,
            )
        )
