from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "corredor.pathways"
    label = "pathways"
    verbose_name = "Protection pathways"
