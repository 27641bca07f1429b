from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from corredor.appointments import views as appointment_views
from corredor.platform.api import api

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("registry/", include("corredor.registry.urls")),
    path("audit/", include("corredor.audit.urls")),
    path("appointments/", include("corredor.appointments.urls")),
    path("reception/", include("corredor.reception.urls")),
    path("pathways/", include("corredor.pathways.urls")),
    path("planning/", include("corredor.planning.urls")),
    path("status/", appointment_views.public_status, name="public_status"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
