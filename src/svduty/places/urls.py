from django.urls import path

from .views import detail, evaluation, groups, panel, places

app_name = "places"

P = "<int:pk>/"
G = "groups/<int:pk>/"

urlpatterns = [
    path("", places.place_list, name="list"),
    path("new/", places.place_new, name="new"),
    path("export.csv", evaluation.place_export, name="export"),
    path("export.xlsx", evaluation.place_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("export.pdf", evaluation.place_export, {"fmt": "pdf"}, name="export_pdf"),
    path(P, detail.place_detail, name="detail"),
    path(P + "edit/", places.place_edit, name="edit"),
    path(P + "close/", places.place_close, name="close"),
    path(P + "children/add/", places.link_child, name="link_child"),
    path(P + "children/<int:link_pk>/end/", places.end_link, name="end_link"),
    path(P + "reports/add/", places.report_add, name="report_add"),
    path(P + "assessments/add/", places.assessment_add, name="assessment_add"),
    path(P + "interventions/add/", places.intervention_add, name="intervention_add"),
    path(
        P + "interventions/<int:intervention_pk>/",
        evaluation.evaluation,
        name="evaluation",
    ),
    path(
        P + "interventions/<int:intervention_pk>/export.csv",
        evaluation.evaluation_export,
        name="evaluation_export",
    ),
    path(
        P + "interventions/<int:intervention_pk>/export.xlsx",
        evaluation.evaluation_export,
        {"fmt": "xlsx"},
        name="evaluation_export_xlsx",
    ),
    path(
        P + "interventions/<int:intervention_pk>/export.pdf",
        evaluation.evaluation_export,
        {"fmt": "pdf"},
        name="evaluation_export_pdf",
    ),
    path(
        P + "interventions/<int:intervention_pk>/end/",
        places.intervention_end,
        name="intervention_end",
    ),
    path("children/<int:pk>/", panel.person_panel, name="person_panel"),
    path("groups/", groups.group_list, name="group_list"),
    path("groups/new/", groups.group_new, name="group_new"),
    path(G, groups.group_detail, name="group"),
    path(G + "edit/", groups.group_edit, name="group_edit"),
    path(G + "close/", groups.group_close, name="group_close"),
    path(G + "members/add/", groups.member_add, name="member_add"),
    path(G + "members/<int:member_pk>/end/", groups.member_end, name="member_end"),
    path(G + "assessments/add/", groups.group_assessment_add, name="group_assessment"),
    path(G + "plans/new/", groups.group_plan_new, name="group_plan"),
]
