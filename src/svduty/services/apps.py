from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "svduty.services"
    label = "services"
