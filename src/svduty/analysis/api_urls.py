from django.urls import path

from . import api

urlpatterns = [
    path("partnerships/<slug:slug>/sna/", api.SnaView.as_view(), name="api-sna"),
]
