from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.home, name="home"),
    path("retention/", views.retention, name="retention"),
    path("erasures/", views.erasure_log, name="erasure_log"),
]
