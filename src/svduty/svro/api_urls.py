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
    path(
        "svro/orders/<int:pk>/notifications/",
        api.NotificationList.as_view(),
        name="api-svro-notifications",
    ),
    path(
        "svro/notifications/<int:pk>/attendance/",
        api.NotificationAttendance.as_view(),
        name="api-svro-notification-attendance",
    ),
    path(
        "svro/people/<int:pk>/custody/",
        api.CustodyList.as_view(),
        name="api-svro-custody",
    ),
    path(
        "svro/custody/<int:pk>/release/",
        api.CustodyRelease.as_view(),
        name="api-svro-custody-release",
    ),
    path(
        "svro/orders/<int:pk>/breaches/",
        api.BreachList.as_view(),
        name="api-svro-breaches",
    ),
    path(
        "svro/breaches/<int:pk>/investigation/",
        api.BreachUpdate.as_view(),
        name="api-svro-breach-update",
    ),
    path(
        "svro/people/<int:pk>/convictions/",
        api.ReoffenceList.as_view(),
        name="api-svro-convictions",
    ),
    path("svro/samples/", api.SampleList.as_view(), name="api-svro-samples"),
    path(
        "svro/sample-items/<int:pk>/review/",
        api.SampleItemReview.as_view(),
        name="api-svro-sample-review",
    ),
    path("svro/scrutiny/", api.Scrutiny.as_view(), name="api-svro-scrutiny"),
    path("svro/order-types/", api.OrderTypeList.as_view(), name="api-svro-order-types"),
    path(
        "svro/order-types/<int:pk>/",
        api.OrderTypeDetail.as_view(),
        name="api-svro-order-type",
    ),
    path("svro/population/", api.PopulationList.as_view(), name="api-svro-population"),
    path(
        "svro/people/<int:pk>/person-records/",
        api.PersonLinkList.as_view(),
        name="api-svro-person-links",
    ),
    path(
        "svro/person-links/<int:pk>/",
        api.PersonLinkDetail.as_view(),
        name="api-svro-person-link",
    ),
    path(
        "svro/person-records/<int:pk>/orders/",
        api.PersonOrders.as_view(),
        name="api-svro-person-orders",
    ),
]
