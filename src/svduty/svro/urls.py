from django.urls import path

from .views import (
    configuration,
    events,
    links,
    notifications,
    register,
    samples,
    scrutiny,
    searches,
)

app_name = "svro"

urlpatterns = [
    path("", register.register, name="register"),
    path("scrutiny/", scrutiny.scrutiny, name="scrutiny"),
    path("scrutiny/export.csv", scrutiny.scrutiny_export, name="scrutiny_export"),
    path("scrutiny/export.xlsx", scrutiny.scrutiny_xlsx, name="scrutiny_xlsx"),
    path("scrutiny/report/", scrutiny.report, name="report"),
    path("scrutiny/report.pdf", scrutiny.report_pdf, name="report_pdf"),
    path("scrutiny/report/publish/", scrutiny.report_publish, name="report_publish"),
    path(
        "published/<int:pk>/withdraw/",
        scrutiny.report_withdraw,
        name="report_withdraw",
    ),
    path("order-types/", configuration.order_types, name="order_types"),
    path(
        "order-types/<int:pk>/",
        configuration.order_type_edit,
        name="order_type_edit",
    ),
    path("population/", configuration.population_edit, name="population_edit"),
    path("samples/", samples.sample_list, name="samples"),
    path("samples/new/", samples.sample_new, name="sample_new"),
    path("samples/<int:pk>/", samples.sample_detail, name="sample"),
    path("sampled/<int:pk>/review/", samples.item_review, name="sample_review"),
    path("people/new/", register.holder_new, name="holder_new"),
    path("people/<int:pk>/", register.holder_detail, name="holder"),
    path(
        "people/<int:pk>/person-records/",
        links.person_links,
        name="person_links",
    ),
    path(
        "person-links/<int:pk>/remove/",
        links.person_link_remove,
        name="person_link_remove",
    ),
    path(
        "person-records/<int:pk>/orders/",
        links.person_panel,
        name="person_panel",
    ),
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
