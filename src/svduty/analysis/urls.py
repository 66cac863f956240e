from django.urls import path

from . import views

app_name = "analysis"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/report.pdf", views.report_pdf, name="report_pdf"),
    path(
        "<slug:slug>/download/<slug:table>.<str:fmt>",
        views.export,
        name="export",
    ),
    path("<slug:slug>/harm-weights/", views.harm_weights, name="harm_weights"),
    path(
        "<slug:slug>/harm-weights/import/",
        views.harm_weights_import,
        name="harm_weights_import",
    ),
    path("<slug:slug>/versions/", views.version_list, name="version_list"),
    path("<slug:slug>/versions/new/", views.version_new, name="version_new"),
    path("<slug:slug>/versions/<int:pk>/", views.version_detail, name="version_detail"),
    path(
        "<slug:slug>/versions/<int:pk>/edit/", views.version_edit, name="version_edit"
    ),
    path(
        "<slug:slug>/versions/<int:pk>/sign-off/",
        views.version_sign_off,
        name="version_sign_off",
    ),
]
