from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "corredor.planning"
    label = "planning"
    verbose_name = "Capacity planning and crisis preparedness"
