from django.urls import path

from . import api

urlpatterns = [
    path("svro/orders/", api.OrderList.as_view(), name="api-svro-orders"),
    path("svro/orders/<int:pk>/", api.OrderDetail.as_view(), name="api-svro-order"),
    path(
        "svro/orders/<int:pk>/searches/",
        api.SearchList.as_view(),
        name="api-svro-searches",
    ),
    path("svro/scrutiny/", api.Scrutiny.as_view(), name="api-svro-scrutiny"),
]
