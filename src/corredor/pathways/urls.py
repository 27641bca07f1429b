from django.urls import path

from . import views

app_name = "pathways"

urlpatterns = [
    path("people/<int:person_id>/", views.menu, name="menu"),
    path("people/<int:person_id>/save/", views.save, name="save"),
    path("screenings/<int:decision_id>/", views.decision, name="decision"),
    path("cases/<str:reference>/applications/", views.applications, name="applications"),
    path("counts/", views.counts, name="counts"),
]
