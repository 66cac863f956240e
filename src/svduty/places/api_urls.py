from django.urls import path

from . import api

urlpatterns = [
    path("places/", api.PlaceList.as_view(), name="api-places"),
    path("places/<int:pk>/", api.PlaceDetail.as_view(), name="api-place"),
    path(
        "places/<int:pk>/interventions/",
        api.InterventionCreate.as_view(),
        name="api-place-interventions",
    ),
    path(
        "places/<int:pk>/interventions/<int:intervention_pk>/evaluation/",
        api.Evaluation.as_view(),
        name="api-place-evaluation",
    ),
    path("peer-groups/", api.PeerGroupList.as_view(), name="api-peer-groups"),
    path("peer-groups/<int:pk>/", api.PeerGroupDetail.as_view(), name="api-peer-group"),
]
