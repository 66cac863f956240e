"""REST API routes (architecture D10). Each app adds its router here."""

from django.urls import include, path

urlpatterns = [
    path("", include("svduty.accounts.api_urls")),
    path("", include("svduty.partnership.api_urls")),
    path("", include("svduty.strategy.api_urls")),
    path("", include("svduty.cases.api_urls")),
    path("", include("svduty.meetings.api_urls")),
    path("", include("svduty.places.api_urls")),
    path("", include("svduty.svro.api_urls")),
    path("", include("svduty.services.api_urls")),
    path("", include("svduty.analysis.api_urls")),
    path("", include("svduty.sharing.api_urls")),
    path("", include("svduty.evidence.api_urls")),
]
