"""URL map. Every pattern here must have an entry in the access matrix
(tests/access/) — tests/functional/test_url_coverage.py fails otherwise."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from svduty.core import health

handler400 = "svduty.core.views.bad_request"
handler403 = "svduty.core.views.permission_denied"
handler404 = "svduty.core.views.page_not_found"
handler500 = "svduty.core.views.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", include("svduty.core.urls")),
    path("accounts/", include("svduty.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("audit/", include("svduty.audit.urls")),
    path("data-protection/", include("svduty.privacy.urls")),
    path("analysis/", include("svduty.analysis.urls")),
    path("data/", include("svduty.sharing.urls")),
    path("partnerships/", include("svduty.partnership.urls")),
    path("strategy/", include("svduty.strategy.urls")),
    path("published/", include("svduty.strategy.public_urls")),
    path("transparency/svro/", include("svduty.svro.public_urls")),
    path("children/", include("svduty.cases.urls")),
    path("meetings/", include("svduty.meetings.urls")),
    path("places/", include("svduty.places.urls")),
    path("services/", include("svduty.services.urls")),
    path("evidence/", include("svduty.evidence.urls")),
    path("linkage/", include("svduty.linkage.urls")),
    path("svro/", include("svduty.svro.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the CSP needs no inline
    # script.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path("api/", include("svduty.config.api_urls")),
]
