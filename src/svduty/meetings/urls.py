from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("performance/", views.performance, name="performance"),
    *(
        path(
            f"performance/{name}",
            views.performance_export,
            {"name": name},
            name=f"performance_{name.replace('.', '_')}",
        )
        for name in ("export.pdf", "export.xlsx", "attendance.csv", "actions.csv")
    ),
    path("children/<int:pk>/", views.child_meetings, name="child"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/agenda/triggers/", views.agenda_triggers, name="agenda_triggers"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item_pk>/paper/", views.paper, name="paper"),
    path("<int:pk>/minutes/add/", views.minute_add, name="minute_add"),
    path("<int:pk>/decisions/add/", views.decision_add, name="decision_add"),
    path(
        "<int:pk>/decisions/<int:decision_pk>/actions/add/",
        views.decision_action_add,
        name="decision_action_add",
    ),
    path("<int:pk>/close/", views.close, name="close"),
]
