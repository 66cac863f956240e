from django.urls import path

from . import views

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
    path("report/", views.report, name="report"),
    path("inspection/", views.inspection_request, name="inspection"),
    path("audits/", views.audits, name="audits"),
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
]
