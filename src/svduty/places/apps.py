from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "svduty.places"
    label = "places"
    verbose_name = "Places and peer groups"

    def ready(self) -> None:
        from . import subject_access

        # Subject access lists what this app holds about a person (privacy app).
        subject_access.register()
        from svduty.cases.panels import RecordPanel, register_record_panel
        from svduty.core.authorisation import Permission

        register_record_panel(
            RecordPanel(
                title="Places and peer groups",
                url_name="places:person_panel",
                permission=Permission.VIEW_PLACES,
            )
        )
