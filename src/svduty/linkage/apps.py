from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "svduty.linkage"
    label = "linkage"
    verbose_name = "Record linkage"

    def ready(self) -> None:
        from . import subject_access

        # Subject access lists what this app holds about a person (privacy app).
        subject_access.register()
        from svduty.cases.panels import RecordPanel, register_record_panel
        from svduty.core.authorisation import Permission
        from svduty.linkage.extract import OUTPUT_COLUMNS, PersonExtractReader
        from svduty.linkage.models import PersonRecord
        from svduty.linkage.publishing import publish_extract
        from svduty.sharing.imports import Target, register_kind
        from svduty.sharing.readers import ImportKind

        register_kind(
            ImportKind(
                "person_extract",
                "Partner person extract",
                "The people an agency holds (names, date of birth, address, NHS "
                "number, UPN, PNC ID), in the svduty CSV template, for record "
                "linkage. A new extract from an agency updates its records. Needs "
                "a data sharing agreement.",
                ("csv",),
                True,
                PersonExtractReader,
            ),
            Target(
                PersonRecord,
                OUTPUT_COLUMNS,
                ("agency_code", "local_id"),
                write=publish_extract,
            ),
        )
        register_record_panel(
            RecordPanel(
                title="Records held by partner agencies",
                url_name="linkage:record_panel",
                permission=Permission.VIEW_CASES,
            )
        )
