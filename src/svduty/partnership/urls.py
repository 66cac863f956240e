from django.urls import path

from . import register_views, views

app_name = "partnership"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("<slug:slug>/", views.partnership_detail, name="detail"),
    path("<slug:slug>/edit/", views.partnership_edit, name="edit"),
    path("<slug:slug>/members/add/", views.member_add, name="member_add"),
    path("<slug:slug>/members/<int:pk>/", views.member_edit, name="member_edit"),
    path(
        "<slug:slug>/members/<int:pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("<slug:slug>/definitions/", views.definition_list, name="definition_list"),
    path(
        "<slug:slug>/definitions/new/",
        views.definition_start,
        name="definition_start",
    ),
    path(
        "<slug:slug>/definitions/<int:number>/",
        views.definition_detail,
        name="definition_detail",
    ),
    path(
        "<slug:slug>/definitions/<int:number>/agree/",
        views.definition_agree,
        name="definition_agree",
    ),
    path(
        "<slug:slug>/definitions/<int:number>/kinds/add/",
        views.kind_form,
        name="kind_add",
    ),
    path(
        "<slug:slug>/definitions/<int:number>/kinds/<int:pk>/",
        views.kind_form,
        name="kind_edit",
    ),
    path(
        "<slug:slug>/definitions/<int:number>/kinds/<int:pk>/remove/",
        views.kind_remove,
        name="kind_remove",
    ),
    path(
        "<slug:slug>/definitions/<int:number>/kinds/<int:pk>/rules/add/",
        views.rule_add,
        name="rule_add",
    ),
    path(
        "<slug:slug>/definitions/<int:number>/exclusions/add/",
        views.exclusion_add,
        name="exclusion_add",
    ),
    path(
        "<slug:slug>/definitions/<int:number>/exclusions/<int:pk>/remove/",
        views.exclusion_remove,
        name="exclusion_remove",
    ),
    path(
        "<slug:slug>/definitions/<int:number>/rules/<int:pk>/remove/",
        views.rule_remove,
        name="rule_remove",
    ),
    path(
        "<slug:slug>/relevant-authorities/",
        register_views.register,
        name="register",
    ),
    path(
        "<slug:slug>/relevant-authorities/add/",
        register_views.register_add,
        name="register_add",
    ),
    path(
        "<slug:slug>/relevant-authorities/import/",
        register_views.register_import,
        name="register_import",
    ),
    path(
        "<slug:slug>/relevant-authorities/<int:pk>/",
        register_views.register_edit,
        name="register_edit",
    ),
    path("<slug:slug>/meetings/", views.meeting_list, name="meeting_list"),
    path("<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<slug:slug>/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
]
