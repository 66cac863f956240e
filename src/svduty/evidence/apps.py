from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "svduty.evidence"
    label = "evidence"

    def ready(self) -> None:
        from . import subject_access

        # Subject access lists the audits of a child's record (privacy app).
        subject_access.register()
