from django.urls import path

from .views import events, notifications, register, scrutiny, searches

app_name = "svro"

urlpatterns = [
    path("", register.register, name="register"),
    path("scrutiny/", scrutiny.scrutiny, name="scrutiny"),
    path("scrutiny/export.csv", scrutiny.scrutiny_export, name="scrutiny_export"),
    path("people/new/", register.holder_new, name="holder_new"),
    path("people/<int:pk>/", register.holder_detail, name="holder"),
    path(
        "people/<int:pk>/applications/new/",
        register.application_new,
        name="application_new",
    ),
    path(
        "applications/<int:pk>/decision/",
        register.application_decide,
        name="application_decide",
    ),
    path("people/<int:pk>/orders/new/", register.order_new, name="order_new"),
    path("orders/<int:pk>/", register.order_detail, name="order"),
    path(
        "orders/<int:pk>/notifications/new/",
        notifications.notification_new,
        name="notification_new",
    ),
    path(
        "notifications/<int:pk>/",
        notifications.notification_record,
        name="notification_record",
    ),
    path("orders/<int:pk>/searches/new/", searches.search_new, name="search_new"),
    path("orders/<int:pk>/decisions/new/", events.order_event, name="order_event"),
    path("orders/<int:pk>/breaches/new/", events.breach_new, name="breach_new"),
    path("breaches/<int:pk>/", events.breach_update, name="breach_update"),
    path(
        "people/<int:pk>/convictions/new/", events.reoffence_new, name="reoffence_new"
    ),
    path("people/<int:pk>/custody/new/", notifications.custody_new, name="custody_new"),
    path("custody/<int:pk>/release/", notifications.custody_end, name="custody_end"),
]
