from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("strategies", api.StrategyViewSet, basename="api-strategies")
router.register("strategy-actions", api.ActionViewSet, basename="api-strategy-actions")

urlpatterns = router.urls
