from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    name = "corredor.reception"
    label = "reception"
    verbose_name = "Reception and custody"
