from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.my_account, name="me"),
    path("users/", views.user_list, name="user_list"),
    path("users/invite/", views.invite_user, name="invite"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/disable/", views.disable_user, name="disable"),
    path("users/<int:pk>/enable/", views.enable_user, name="enable"),
    path(
        "users/<int:pk>/reset-mfa/",
        views.reset_second_factors,
        name="reset_mfa",
    ),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("mfa-required/", views.mfa_required, name="mfa_required"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
