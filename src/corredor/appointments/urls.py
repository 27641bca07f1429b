from django.urls import path

from . import views

app_name = "appointments"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("runs/new/", views.run_create, name="run_create"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("capacity/", views.capacity, name="capacity"),
    path("cases/<str:reference>/", views.waiting, name="waiting"),
    path("slip/<str:code>/", views.slip, name="slip"),
    path("check-in/", views.check_in, name="check_in"),
    path("check-in/end-of-day/", views.end_of_day, name="end_of_day"),
    path("import/", views.legacy_import, name="legacy_import"),
]
