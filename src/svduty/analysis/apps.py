from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "svduty.analysis"
    label = "analysis"

    def ready(self) -> None:
        from svduty.sharing.signals import import_succeeded

        from . import home  # noqa: F401 - home-page panels register on import
        from .receivers import on_import_succeeded

        import_succeeded.connect(
            on_import_succeeded, dispatch_uid="svduty_analysis_rebuild_snapshot"
        )
