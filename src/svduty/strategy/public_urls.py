"""Public pages (no sign-in): published strategies."""

from django.urls import path

from .views import public

app_name = "public_strategy"

urlpatterns = [
    path("", public.index, name="index"),
    path("<slug:slug>/", public.detail, name="detail"),
    path("<slug:slug>/strategy.pdf", public.pdf, name="pdf"),
    path("<slug:slug>/v<int:number>/", public.detail, name="version"),
    path("<slug:slug>/v<int:number>/strategy.pdf", public.pdf, name="version_pdf"),
]
