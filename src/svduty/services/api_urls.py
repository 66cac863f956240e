from django.urls import path

from . import api

urlpatterns = [
    path("services/", api.ServiceList.as_view(), name="api-services"),
    path(
        "services/<int:pk>/waiting-list/",
        api.WaitingList.as_view(),
        name="api-service-waiting-list",
    ),
    path(
        "children/<int:pk>/service-referrals/",
        api.ChildReferrals.as_view(),
        name="api-child-service-referrals",
    ),
]
