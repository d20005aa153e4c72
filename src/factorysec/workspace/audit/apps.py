from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "factorysec.workspace.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from factorysec.workspace.audit import signals

        signals.connect()
