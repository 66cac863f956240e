from django.apps import AppConfig


class SvroConfig(AppConfig):
    name = "svduty.svro"
    label = "svro"

    def ready(self) -> None:
        from . import subject_access

        # Subject access lists what this app holds about a person (privacy app).
        subject_access.register()
        from svduty.cases.panels import RecordPanel, register_record_panel
        from svduty.core.authorisation import Permission

        from . import home  # noqa: F401 - home-page panels register on import

        # The orders held by the register's people linked to this record, for SVRO
        # officers who may read it (svro.views.links.person_panel).
        register_record_panel(
            RecordPanel(
                title="Orders held (police register)",
                url_name="svro:person_panel",
                permission=Permission.MANAGE_SVRO,
            )
        )
