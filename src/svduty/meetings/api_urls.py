from django.urls import path

from . import api, api_write

urlpatterns = [
    path("meetings/", api.MeetingList.as_view(), name="api-meetings"),
    path(
        "meetings/schedule/",
        api_write.MeetingCreate.as_view(),
        name="api-meetings-schedule",
    ),
    path("meetings/<int:pk>/", api.MeetingDetail.as_view(), name="api-meetings-detail"),
    path(
        "meetings/<int:pk>/invitations/",
        api_write.InvitationCreate.as_view(),
        name="api-meetings-invitations",
    ),
    path(
        "meetings/<int:pk>/attendance/",
        api_write.AttendanceRecord.as_view(),
        name="api-meetings-attendance",
    ),
    path(
        "meetings/<int:pk>/agenda/",
        api_write.AgendaItemCreate.as_view(),
        name="api-meetings-agenda",
    ),
    path(
        "meetings/<int:pk>/agenda/suggestions/",
        api_write.AgendaSuggestions.as_view(),
        name="api-meetings-suggestions",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/paper/",
        api_write.PaperWrite.as_view(),
        name="api-meetings-paper",
    ),
    path(
        "meetings/<int:pk>/minutes/",
        api_write.MinuteCreate.as_view(),
        name="api-meetings-minutes",
    ),
    path(
        "meetings/<int:pk>/decisions/",
        api_write.DecisionCreate.as_view(),
        name="api-meetings-decisions",
    ),
    path(
        "meetings/<int:pk>/decisions/<int:decision_pk>/actions/",
        api_write.DecisionActionCreate.as_view(),
        name="api-meetings-decision-actions",
    ),
    path(
        "meetings/<int:pk>/close/",
        api_write.MeetingClose.as_view(),
        name="api-meetings-close",
    ),
]
