from django.urls import path

from . import api

urlpatterns = [
    path(
        "evidence/<int:pk>/outcomes/",
        api.OutcomeList.as_view(),
        name="api-evidence-outcomes",
    ),
    path(
        "evidence/<int:pk>/indicators/<slug:key>/",
        api.IndicatorDetail.as_view(),
        name="api-evidence-indicator",
    ),
    path(
        "evidence/<int:pk>/disproportionality/",
        api.Disproportionality.as_view(),
        name="api-evidence-disproportionality",
    ),
    path(
        "evidence/<int:pk>/records/",
        api.LearningRecords.as_view(),
        name="api-evidence-records",
    ),
    path(
        "evidence/<int:pk>/self-assessments/",
        api.SelfAssessments.as_view(),
        name="api-evidence-self-assessments",
    ),
    path(
        "evidence/<int:pk>/audits/",
        api.AuditSamples.as_view(),
        name="api-evidence-audits",
    ),
    path(
        "evidence/<int:pk>/inspection/",
        api.InspectionRequest.as_view(),
        name="api-evidence-inspection",
    ),
    path(
        "evidence/<int:pk>/inspection/requests/",
        api.InspectionRequests.as_view(),
        name="api-evidence-inspection-requests",
    ),
]
