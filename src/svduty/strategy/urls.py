from django.urls import path

from .views import compliance, monitoring, plan, sign_off, versions

app_name = "strategy"

V = "<slug:slug>/v<int:number>"

urlpatterns = [
    # Before "<slug>/": a partnership may never be called "monitoring".
    path("monitoring/", monitoring.monitoring, name="monitoring"),
    path(
        "monitoring/export.csv",
        monitoring.monitoring_export,
        name="monitoring_export",
    ),
    path("<slug:slug>/", versions.overview, name="overview"),
    path(f"{V}/", versions.version_detail, name="version"),
    path(f"{V}/edit/", versions.version_edit, name="version_edit"),
    path(f"{V}/sections/add/", versions.section_form, name="section_add"),
    path(f"{V}/sections/<int:pk>/", versions.section_form, name="section_edit"),
    path(
        f"{V}/sections/<int:pk>/remove/",
        versions.section_remove,
        name="section_remove",
    ),
    path(
        f"{V}/consultation/<int:authority_pk>/",
        versions.consultation,
        name="consultation",
    ),
    path(
        f"{V}/consultation/record/<int:pk>/approve/",
        versions.consultation_approve,
        name="consultation_approve",
    ),
    path(f"{V}/sign-off/<int:member_pk>/", sign_off.sign_off, name="sign_off"),
    path(
        f"{V}/sign-off/evidence/",
        sign_off.sign_off_evidence,
        name="sign_off_evidence",
    ),
    path(
        f"{V}/sign-off/<int:pk>/withdraw/",
        sign_off.sign_off_withdraw,
        name="sign_off_withdraw",
    ),
    path(
        f"{V}/sign-off/document/<int:pk>/",
        sign_off.sign_off_document,
        name="sign_off_document",
    ),
    path(f"{V}/move/<str:name>/", versions.transition, name="transition"),
    path(f"{V}/review/", versions.review, name="review"),
    path("<slug:slug>/actions/", plan.action_list, name="action_list"),
    path("<slug:slug>/actions/export.csv", plan.action_export, name="action_export"),
    path("<slug:slug>/actions/new/", plan.action_create, name="action_create"),
    path("<slug:slug>/actions/<int:pk>/", plan.action_detail, name="action_detail"),
    path("<slug:slug>/actions/<int:pk>/edit/", plan.action_edit, name="action_edit"),
    path("<slug:slug>/compliance/", compliance.dashboard, name="compliance"),
    path(
        "<slug:slug>/compliance/report/",
        compliance.report,
        name="compliance_report",
    ),
    path(
        "<slug:slug>/compliance/report.pdf",
        compliance.report_pdf,
        name="compliance_report_pdf",
    ),
]
