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
    path(
        "service-referrals/<int:pk>/<slug:step>/",
        api.ReferralStep.as_view(),
        name="api-service-referral-step",
    ),
    path(
        "children/<int:pk>/nrm-referrals/",
        api.ChildNrmReferrals.as_view(),
        name="api-child-nrm-referrals",
    ),
    path(
        "children/<int:pk>/reachable-moments/",
        api.ChildReachableMoments.as_view(),
        name="api-child-reachable-moments",
    ),
    path(
        "children/<int:pk>/return-interviews/",
        api.ChildReturnInterviews.as_view(),
        name="api-child-return-interviews",
    ),
    path(
        "nrm-referrals/<int:pk>/section-45/",
        api.NrmSection45.as_view(),
        name="api-nrm-section-45",
    ),
    path(
        "nrm-referrals/<int:pk>/<slug:stage>/reconsider/",
        api.NrmReconsider.as_view(),
        name="api-nrm-reconsider",
    ),
    path(
        "nrm-referrals/<int:pk>/<slug:stage>/",
        api.NrmDecision.as_view(),
        name="api-nrm-decision",
    ),
    path(
        "nrm-reconsiderations/<int:pk>/answer/",
        api.NrmReconsiderationAnswer.as_view(),
        name="api-nrm-reconsideration-answer",
    ),
]
