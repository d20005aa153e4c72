from django.apps import AppConfig


class FactoriesConfig(AppConfig):
    name = "factorysec.workspace.factories"
    label = "factories"
    default_auto_field = "django.db.models.BigAutoField"
