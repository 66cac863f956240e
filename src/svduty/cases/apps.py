from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "svduty.cases"
    label = "cases"
