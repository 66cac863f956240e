from django.urls import path

from . import api

urlpatterns = [
    path("meetings/", api.MeetingList.as_view(), name="api-meetings"),
    path(
        "meetings/schedule/", api.MeetingCreate.as_view(), name="api-meetings-schedule"
    ),
    path("meetings/<int:pk>/", api.MeetingDetail.as_view(), name="api-meetings-detail"),
    path(
        "meetings/<int:pk>/attendance/",
        api.AttendanceRecord.as_view(),
        name="api-meetings-attendance",
    ),
    path(
        "meetings/<int:pk>/agenda/",
        api.AgendaItemCreate.as_view(),
        name="api-meetings-agenda",
    ),
    path(
        "meetings/<int:pk>/minutes/",
        api.MinuteCreate.as_view(),
        name="api-meetings-minutes",
    ),
    path(
        "meetings/<int:pk>/decisions/",
        api.DecisionCreate.as_view(),
        name="api-meetings-decisions",
    ),
]
