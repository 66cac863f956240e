from django.urls import path

from . import api

urlpatterns = [
    path("svro/orders/", api.OrderList.as_view(), name="api-svro-orders"),
    path("svro/orders/<int:pk>/", api.OrderDetail.as_view(), name="api-svro-order"),
    path(
        "svro/orders/<int:pk>/decisions/",
        api.OrderDecision.as_view(),
        name="api-svro-order-decisions",
    ),
    path(
        "svro/orders/<int:pk>/searches/",
        api.SearchList.as_view(),
        name="api-svro-searches",
    ),
    path("svro/people/", api.HolderList.as_view(), name="api-svro-people"),
    path(
        "svro/people/<int:pk>/applications/",
        api.ApplicationList.as_view(),
        name="api-svro-applications",
    ),
    path(
        "svro/applications/<int:pk>/decision/",
        api.ApplicationDecision.as_view(),
        name="api-svro-application-decision",
    ),
    path("svro/scrutiny/", api.Scrutiny.as_view(), name="api-svro-scrutiny"),
]
