from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.home, name="home"),
    path("retention/", views.retention, name="retention"),
    path("erasures/", views.erasure_log, name="erasure_log"),
]

urlpatterns += [
    path("subject-access/", views.sar_list, name="sar_list"),
    path("subject-access/start/", views.sar_start, name="sar_start"),
    path("subject-access/<int:pk>/", views.sar_review, name="sar_review"),
    path("subject-access/<int:pk>/pack.json", views.sar_export, name="sar_export"),
    path(
        "subject-access/<int:pk>/pack.pdf", views.sar_export_pdf, name="sar_export_pdf"
    ),
]
