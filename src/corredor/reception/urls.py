from django.urls import path

from . import views

app_name = "reception"

urlpatterns = [
    path("", views.index, name="index"),
    path("orr/", views.orr, name="orr"),
    path("alerts/", views.alerts, name="alerts"),
    path("custody/<int:custody_id>/", views.custody_detail, name="custody"),
    path("<slug:code>/", views.board, name="board"),
    path("<slug:code>/rows/", views.board_rows, name="board_rows"),
    path("<slug:code>/arrival/", views.arrival, name="arrival"),
    path("<slug:code>/occupancy/", views.occupancy, name="occupancy"),
    path("<slug:code>/beds/", views.beds, name="beds"),
]
