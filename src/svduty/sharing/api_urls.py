from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register(
    "sharing-agreements", api.AgreementViewSet, basename="api-sharing-agreements"
)
router.register("imports", api.ImportViewSet, basename="api-imports")

urlpatterns = router.urls
