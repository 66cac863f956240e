from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "svduty.places"
    label = "places"
    verbose_name = "Places and peer groups"
