from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("partnerships", api.PartnershipViewSet, basename="api-partnerships")
router.register("definitions", api.DefinitionViewSet, basename="api-definitions")

urlpatterns = router.urls
