from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "svduty.audit"
    label = "audit"
