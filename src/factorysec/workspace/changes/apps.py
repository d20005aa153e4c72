from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "factorysec.workspace.changes"
    label = "changes"
    default_auto_field = "django.db.models.BigAutoField"
