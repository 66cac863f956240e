from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "svduty.evidence"
    label = "evidence"
