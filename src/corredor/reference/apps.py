from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "corredor.reference"
    label = "reference"
    verbose_name = "Reference data"
