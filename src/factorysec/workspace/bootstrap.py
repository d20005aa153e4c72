"""Get a workspace ready to serve: settings, migrations, the first factory, the first administrator."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import factorysec

if TYPE_CHECKING:
    from factorysec.model.entities import FactoryModel

BUNDLED_EXAMPLE = Path(factorysec.__file__).resolve().parents[2] / "examples" / "annex-a" / "current"
"""The Annex A example factory beside the package in a source checkout (what ``factorysec serve`` loads into an empty database)."""

ADMIN_USERNAME = "admin"


def configure(database: Path | None) -> None:
    """Point Django at the settings and, for SQLite, at ``database``; keep a secret key beside it unless one is set."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factorysec.workspace.settings")
    if database is not None:
        os.environ["FACTORYSEC_DB_PATH"] = str(database)
        if "FACTORYSEC_SECRET_KEY" not in os.environ:
            os.environ["FACTORYSEC_SECRET_KEY"] = _secret_key_beside(database)
    import django

    django.setup()


def _secret_key_beside(database: Path) -> str:
    key_file = database.with_name(database.name + ".secret-key")
    if key_file.is_file():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    database.parent.mkdir(parents=True, exist_ok=True)
    key_file.touch(mode=0o600)
    key_file.write_text(key, encoding="utf-8")
    return key


@dataclass(frozen=True)
class Prepared:
    """What :func:`prepare` did: the factory loaded (if any) and the administrator's password (only when just created)."""

    loaded_factory: str | None
    admin_password: str | None


def prepare(model_path: Path | None, model: FactoryModel | None = None) -> Prepared:
    """Migrate the database; when it holds no factory, load ``model_path`` (checked as ``factorysec check`` does); create a first administrator.

    ``model``: the model at ``model_path``, already loaded and checked (``factorysec serve`` checks it before the
    database is opened), so it is not read again. Raises :class:`factorysec.model.ModelInputError` when the model
    read here is invalid.
    """
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from factorysec.catalog import load_catalog
    from factorysec.model import load_model
    from factorysec.workspace.factories.models import Factory
    from factorysec.workspace.factories.store import import_model

    call_command("migrate", verbosity=0, interactive=False)
    _log_pending_versions()
    loaded = None
    if model_path is not None and not Factory.objects.exists():
        if model is None:
            model = load_model(model_path, load_catalog())
        factory = Factory.objects.create(
            slug=model.factory.id.lower().replace(".", "-").replace("_", "-")[:128], name=model.factory.name
        )
        import_model(factory, model, None, f"loaded from {model_path.name}")
        loaded = factory.slug
    password = None
    users = get_user_model()
    if not users.objects.filter(is_superuser=True).exists():
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser(ADMIN_USERNAME, "", password)
    return Prepared(loaded, password)


def _log_pending_versions() -> None:
    """Write the audit entries of element versions an earlier release left for its task worker (saves now log their own)."""
    from factorysec.workspace.audit.models import PendingVersion
    from factorysec.workspace.audit.signals import write_pending

    for factory_id in PendingVersion.objects.values_list("factory_id", flat=True).distinct().order_by("factory_id"):
        write_pending(factory_id)
