from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "svduty.sharing"
    label = "sharing"
