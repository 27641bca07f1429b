from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("people/new/", views.person_register, name="person_register"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/assessment/", views.assessment_record, name="assessment_record"),
    path("people/<int:person_id>/sensitive/", views.sensitive_reveal, name="sensitive_reveal"),
    path("people/<int:person_id>/sensitive/new/", views.sensitive_record, name="sensitive_record"),
    path("families/new/", views.family_register, name="family_register"),
    path("families/<int:family_id>/", views.family_detail, name="family_detail"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_open, name="case_open"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("figures/", views.aggregates, name="aggregates"),
    path("import/", views.import_people, name="import"),
]
