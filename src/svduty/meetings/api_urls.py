from django.urls import path

from . import api

urlpatterns = [
    path("meetings/", api.MeetingList.as_view(), name="api-meetings"),
    path("meetings/<int:pk>/", api.MeetingDetail.as_view(), name="api-meetings-detail"),
]
