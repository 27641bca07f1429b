from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("scenarios/new/", views.scenario_edit, name="scenario_new"),
    path("scenarios/<int:scenario_id>/", views.scenario_edit, name="scenario"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/report.html", views.run_report, name="run_report"),
    path("compare/", views.compare, name="compare"),
]
