from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
    path("signed-out/timed-out/", views.timed_out, name="timed_out"),
    path("favicon.ico", views.favicon, name="favicon"),
]
