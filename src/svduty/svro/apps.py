from django.apps import AppConfig


class SvroConfig(AppConfig):
    name = "svduty.svro"
    label = "svro"
