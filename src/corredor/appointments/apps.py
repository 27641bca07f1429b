from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "corredor.appointments"
    label = "appointments"
    verbose_name = "Orderly processing at ports of entry"
