from django.urls import path

from . import records, views
from .views import learning, prevalence

app_name = "evidence"

urlpatterns = [
    path("", views.outcome_list, name="outcomes"),
    path("refresh/", views.refresh, name="refresh"),
    path("outcomes/<int:number>/", views.outcome_detail, name="outcome"),
    path(
        "outcomes/<int:number>/self-assessment/",
        views.self_assessment_edit,
        name="self_assessment",
    ),
    path("outcomes/<int:number>/evidence/", views.evidence_add, name="evidence_add"),
    path("documents/<int:pk>/", views.evidence_document, name="evidence_document"),
    path("report/", views.report, name="report"),
    path("inspection/", views.inspection_request, name="inspection"),
    path("audits/", views.audits, name="audits"),
    path("<slug:slug>/audit-forms/", views.audit_forms, name="audit_forms"),
    path("audits/<int:pk>/", views.audit_sample, name="audit_sample"),
    path("audits/<int:pk>/cases/<int:case_pk>/", views.case_audit, name="case_audit"),
    path(
        "audits/<int:pk>/cases/<int:case_pk>/moderate/",
        views.moderate,
        name="moderate",
    ),
    path("inspection/exports/", views.inspection_log, name="inspection_log"),
    path("indicators/<slug:key>/", views.indicator_detail, name="indicator"),
    path(
        "indicators/<slug:key>/records/",
        views.indicator_records,
        name="indicator_records",
    ),
    # Workforce, engagement and learning records (issue 12 points 5 and 6): each
    # record type's list page (declared in records.KINDS), then records' own pages.
    *(
        path(f"<slug:slug>/{kind.path}/", learning.LIST_VIEWS[kind.key], name=kind.key)
        for kind in records.KINDS
    ),
    path("training/<int:pk>/", learning.training_session, name="training_session"),
    path(
        "engagement/<int:pk>/",
        learning.engagement_activity,
        name="engagement_activity",
    ),
    path("reviews/<int:pk>/", learning.review, name="review"),
    path(
        "reviews/<int:pk>/recommendations/<int:rec_pk>/complete/",
        learning.recommendation_complete,
        name="recommendation_complete",
    ),
    path(
        "<slug:slug>/disproportionality/",
        prevalence.disproportionality,
        name="disproportionality",
    ),
    path("<slug:slug>/trajectories/", prevalence.trajectories, name="trajectories"),
    path(
        "oversight/<int:pk>/follow-up/",
        learning.oversight_follow_up,
        name="oversight_follow_up",
    ),
]
