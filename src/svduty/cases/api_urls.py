from django.urls import path

from . import api

urlpatterns = [
    path("cases/people/", api.PersonList.as_view(), name="api-cases-people"),
    path("cases/people/search/", api.PersonSearch.as_view(), name="api-cases-search"),
    path("cases/people/<int:pk>/", api.PersonDetail.as_view(), name="api-cases-person"),
    path(
        "cases/people/<int:pk>/chronology/",
        api.Chronology.as_view(),
        name="api-cases-chronology",
    ),
    path(
        "cases/people/<int:pk>/access-requests/",
        api.AccessRequestCreate.as_view(),
        name="api-cases-access-request",
    ),
    path("cases/referrals/", api.ReferralList.as_view(), name="api-cases-referrals"),
    path("cases/screenings/", api.ScreeningList.as_view(), name="api-cases-screenings"),
    path(
        "cases/assessments/", api.AssessmentList.as_view(), name="api-cases-assessments"
    ),
    path("cases/plans/", api.PlanList.as_view(), name="api-cases-plans"),
    path(
        "cases/language-check/", api.LanguageCheck.as_view(), name="api-cases-language"
    ),
]
