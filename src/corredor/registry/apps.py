from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "corredor.registry"
    label = "registry"
    verbose_name = "Registry of people, families and cases"
