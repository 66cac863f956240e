from django.urls import path

from . import s17_views, views

app_name = "sharing"

urlpatterns = [
    path("", views.home, name="home"),
    path("upload/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.batch_detail, name="batch"),
    path("imports/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("imports/<int:pk>/problems.csv", views.batch_problems, name="batch_problems"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path(
        "agreements/new/<slug:slug>/",
        views.agreement_create,
        name="agreement_create",
    ),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/change/", views.agreement_edit, name="agreement_edit"),
    path(
        "agreements/<int:pk>/withdraw/",
        views.agreement_withdraw,
        name="agreement_withdraw",
    ),
    path("s17/", s17_views.request_list, name="s17_list"),
    path("s17/new/<slug:slug>/", s17_views.request_create, name="s17_create"),
    path("s17/<int:pk>/", s17_views.request_detail, name="s17_detail"),
    path("s17/<int:pk>/document/", s17_views.request_document, name="s17_document"),
    path("s17/<int:pk>/figures/", s17_views.request_figures, name="s17_figures"),
    path(
        "s17/<int:pk>/figures.csv",
        s17_views.request_figures_csv,
        name="s17_figures_csv",
    ),
]
