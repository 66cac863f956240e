"""Public pages (no sign-in): published SVRO transparency reports."""

from django.urls import path

from .views import public

app_name = "public_svro"

urlpatterns = [
    path("", public.index, name="index"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/report.pdf", public.pdf, name="pdf"),
    path("<int:pk>/report.csv", public.report_csv, name="csv"),
    path("<int:pk>/report.xlsx", public.report_xlsx, name="xlsx"),
]
