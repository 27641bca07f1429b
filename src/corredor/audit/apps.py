from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "corredor.audit"
    label = "audit"
    verbose_name = "Audit trail"
