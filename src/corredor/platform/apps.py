from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "corredor.platform"
    label = "platform"
    verbose_name = "Corredor platform"
