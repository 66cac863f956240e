from django.urls import path

from .views import catalogue, child, service_page

app_name = "services"

C = "children/<int:pk>/"

urlpatterns = [
    path("", catalogue.catalogue, name="catalogue"),
    path("new/", catalogue.service_new, name="new"),
    path("export.csv", catalogue.catalogue_export, {"fmt": "csv"}, name="export_csv"),
    path(
        "export.xlsx", catalogue.catalogue_export, {"fmt": "xlsx"}, name="export_xlsx"
    ),
    path("export.pdf", catalogue.catalogue_export, {"fmt": "pdf"}, name="export_pdf"),
    path("<int:pk>/", service_page.service_detail, name="detail"),
    path("<int:pk>/edit/", catalogue.service_edit, name="edit"),
    path(C, child.person_panel, name="person_panel"),
    path(C + "refer/", child.refer, name="refer"),
    path(C + "reachable-moments/new/", child.moment_new, name="moment_new"),
    path(C + "nrm/new/", child.nrm_new, name="nrm_new"),
    path(C + "disruption/new/", child.disruption_new, name="disruption_new"),
    path("referrals/<int:pk>/", child.referral_detail, name="referral"),
    path("referrals/<int:pk>/<slug:step>/", child.referral_step, name="referral_step"),
    path(
        "reachable-moments/<int:pk>/answer/",
        child.moment_response,
        name="moment_response",
    ),
    path(
        "reachable-moments/<int:pk>/follow-up/",
        child.moment_follow_up,
        name="moment_follow_up",
    ),
    path("nrm/<int:pk>/section-45/", child.nrm_s45, name="nrm_s45"),
    path(
        "nrm/<int:pk>/<slug:stage>/reconsider/",
        child.nrm_reconsideration,
        name="nrm_reconsideration",
    ),
    path(
        "nrm/reconsiderations/<int:pk>/answer/",
        child.nrm_reconsideration_answer,
        name="nrm_reconsideration_answer",
    ),
    path("nrm/<int:pk>/<slug:stage>/", child.nrm_decision, name="nrm_decision"),
    path(
        "missing-episodes/<int:pk>/offer/",
        child.interview_offer,
        name="interview_offer",
    ),
    path(
        "return-interviews/<int:pk>/outcome/",
        child.interview_outcome,
        name="interview_outcome",
    ),
    path("disruption/<int:pk>/end/", child.disruption_end, name="disruption_end"),
]
