from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "svduty.analysis"
    label = "analysis"
