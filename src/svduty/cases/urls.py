from django.urls import path

from .views import access, chronology, lists, person, plans, referrals, work
from .views import configuration as cfg

app_name = "cases"

P = "<int:pk>/"

urlpatterns = [
    path("", lists.my_cases, name="my_cases"),
    path("work/", lists.work, name="work"),
    path("search/", lists.search, name="search"),
    path("new/", person.person_new, name="person_new"),
    path("referrals/", referrals.referral_queue, name="referrals"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral"),
    path(
        "referrals/<int:pk>/decide/", referrals.referral_decide, name="referral_decide"
    ),
    path(
        "access-requests/<int:pk>/",
        access.access_request_decide,
        name="access_request_decide",
    ),
    path("contributions/<int:pk>/", work.contribution_respond, name="contribution"),
    path("language-check/", chronology.language_check, name="language_check"),
    path(P, person.person_detail, name="person"),
    path(P + "edit/", person.person_edit, name="person_edit"),
    path(P + "identifiers/add/", person.identifier_add, name="identifier_add"),
    path(P + "names/add/", person.alias_add, name="alias_add"),
    path(P + "addresses/add/", person.address_add, name="address_add"),
    path(P + "network/", person.network, name="network"),
    path(P + "network/add/", person.relationship_add, name="relationship_add"),
    path(P + "team/", access.team, name="team"),
    path(P + "team/<int:member_pk>/leave/", access.team_leave, name="team_leave"),
    path(P + "restrict/", access.restrict, name="restrict"),
    path(P + "request-access/", access.access_request, name="access_request"),
    path(P + "break-glass/", access.break_glass, name="break_glass"),
    path(P + "access-log/", access.access_log, name="access_log"),
    path(P + "disclosures/add/", access.disclosure_add, name="disclosure_add"),
    path(
        P + "disclosures/<int:disclosure_pk>/withdraw/",
        access.disclosure_withdraw,
        name="disclosure_withdraw",
    ),
    path(P + "refer/", referrals.referral_new, name="referral_new"),
    path(P + "screening/", work.screening_list, name="screenings"),
    path(P + "screening/new/", work.screening_new, name="screening_new"),
    path(P + "screening/<int:screening_pk>/", work.screening_detail, name="screening"),
    path(P + "assessments/", work.assessment_list, name="assessments"),
    path(P + "assessments/new/", work.assessment_new, name="assessment_new"),
    path(
        P + "assessments/<int:assessment_pk>/",
        work.assessment_detail,
        name="assessment",
    ),
    path(
        P + "assessments/<int:assessment_pk>/sign-off/",
        work.assessment_sign_off,
        name="assessment_sign_off",
    ),
    path(
        P + "assessments/<int:assessment_pk>/contributions/new/",
        work.contribution_request,
        name="contribution_request",
    ),
    path(P + "plans/", plans.plan_list, name="plans"),
    path(P + "plans/new/", plans.plan_new, name="plan_new"),
    path(P + "plans/<int:plan_pk>/", plans.plan_detail, name="plan"),
    path(
        P + "plans/<int:plan_pk>/actions/new/",
        plans.plan_action_add,
        name="plan_action_add",
    ),
    path(
        P + "plans/<int:plan_pk>/actions/<int:action_pk>/",
        plans.plan_action_update,
        name="plan_action_update",
    ),
    path(P + "plans/<int:plan_pk>/review/", plans.plan_review, name="plan_review"),
    path(P + "plans/<int:plan_pk>/end/", plans.plan_end, name="plan_end"),
    path(
        P + "plans/<int:plan_pk>/versions/", plans.plan_versions, name="plan_versions"
    ),
    path(P + "chronology/", chronology.chronology, name="chronology"),
    path(P + "chronology/print/", chronology.chronology_print, name="chronology_print"),
    path(
        P + "chronology/export/", chronology.chronology_export, name="chronology_export"
    ),
    path(P + "chronology/new/", chronology.event_new, name="event_new"),
    path(
        P + "missing/<int:episode_pk>/return/",
        chronology.missing_return,
        name="missing_return",
    ),
    path(
        P + "missing/<int:episode_pk>/interview/",
        chronology.return_interview,
        name="return_interview",
    ),
]

# Settings: configuration held as data (language rules, assessment types, screening).
S, T = "settings/", "settings/screening/<int:tool_pk>/"
urlpatterns += [
    path(S, cfg.settings_home, name="settings"),
    path(S + "language/", cfg.language_rules, name="language_rules"),
    path(S + "language/add/", cfg.language_rule_add, name="language_rule_add"),
    path(
        S + "language/<int:rule_pk>/", cfg.language_rule_edit, name="language_rule_edit"
    ),
    path(
        S + "language/<int:rule_pk>/active/",
        cfg.language_rule_active,
        name="language_rule_active",
    ),
    path(S + "assessment-types/", cfg.assessment_types, name="assessment_types"),
    path(
        S + "assessment-types/add/",
        cfg.assessment_type_add,
        name="assessment_type_add",
    ),
    path(
        S + "assessment-types/<int:type_pk>/",
        cfg.assessment_type_edit,
        name="assessment_type_edit",
    ),
    path(
        S + "assessment-types/<int:type_pk>/active/",
        cfg.assessment_type_active,
        name="assessment_type_active",
    ),
    path(S + "screening/", cfg.screening_tool, name="screening_tool"),
    path(S + "screening/new/", cfg.screening_tool_new, name="screening_tool_new"),
    path(T, cfg.screening_tool_version, name="screening_tool_version"),
    path(T + "rules/", cfg.screening_tool_settings, name="screening_tool_settings"),
    path(T + "publish/", cfg.screening_tool_publish, name="screening_tool_publish"),
    path(T + "groups/add/", cfg.screening_group_add, name="screening_group_add"),
    path(
        T + "groups/<int:group_pk>/",
        cfg.screening_group_edit,
        name="screening_group_edit",
    ),
    path(
        T + "groups/<int:group_pk>/move/",
        cfg.screening_group_move,
        name="screening_group_move",
    ),
    path(
        T + "groups/<int:group_pk>/remove/",
        cfg.screening_group_remove,
        name="screening_group_remove",
    ),
    path(
        T + "groups/<int:group_pk>/indicators/add/",
        cfg.screening_indicator_add,
        name="screening_indicator_add",
    ),
    path(
        T + "indicators/<int:indicator_pk>/",
        cfg.screening_indicator_edit,
        name="screening_indicator_edit",
    ),
    path(
        T + "indicators/<int:indicator_pk>/move/",
        cfg.screening_indicator_move,
        name="screening_indicator_move",
    ),
    path(
        T + "indicators/<int:indicator_pk>/remove/",
        cfg.screening_indicator_remove,
        name="screening_indicator_remove",
    ),
]
