from django.apps import AppConfig


class VulnerabilitiesConfig(AppConfig):
    name = "factorysec.workspace.vulnerabilities"
    label = "vulnerabilities"
    default_auto_field = "django.db.models.BigAutoField"
