from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "svduty.linkage"
    label = "linkage"
