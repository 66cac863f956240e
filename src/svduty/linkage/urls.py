from django.urls import path

from . import views

app_name = "linkage"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("merges/<int:pk>/undo/", views.unmerge, name="unmerge"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("partnerships/<slug:slug>/run/", views.start_run, name="start_run"),
    path("children/<int:pk>/records/", views.record_panel, name="record_panel"),
]
