"""A person's role in one factory space (Table 1-1's departments, plus vendors and providers)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from factorysec.workspace.factories.models import Factory


class Role(models.TextChoices):
    """Roles per factory; what each may do is in :mod:`factorysec.workspace.accounts.permissions`."""

    SECURITY_IT = "security-it", _("Security / IT")
    PRODUCTION = "production", _("Production")
    DX = "dx", _("DX")
    RISK_MANAGEMENT = "risk-management", _("Risk management")
    AUDIT = "audit", _("Audit")
    MANAGEMENT = "management", _("Strategic management")
    VENDOR = "vendor", _("Vendor or provider")


class Membership(models.Model):
    """``user`` works on ``factory`` as ``role``; a vendor or provider is tied to its ``party`` id in the model."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    party = models.CharField(
        max_length=128, blank=True, help_text="For vendors and providers: the id of their party in the model."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "factory"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.factory.slug}: {self.role}"


class ApiToken(models.Model):
    """A bearer token for the JSON API (CI jobs); only its SHA-256 is kept, the token itself is shown once.

    A revoked token keeps its row (``revoked_at`` set), so its owner's list still shows it and the API can say that the
    token sent was revoked rather than unknown. ``last_used_at`` is moved by the API at most once a minute per token.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=200)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.name}"
