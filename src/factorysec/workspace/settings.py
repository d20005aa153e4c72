"""Django settings, read from environment variables so that one code base serves a laptop and a company.

Database: SQLite by default (``FACTORYSEC_DB_PATH``, default ``workspace.sqlite3``
in the working directory), set up for several people at once: write-ahead log,
a busy timeout, and transactions that take the write lock when they begin
(``IMMEDIATE``) so that two writers wait for each other instead of failing.
``FACTORYSEC_DB=postgresql`` selects PostgreSQL with ``FACTORYSEC_PG_NAME``,
``FACTORYSEC_PG_USER``, ``FACTORYSEC_PG_PASSWORD``, ``FACTORYSEC_PG_HOST`` (a
host name or a unix socket folder) and ``FACTORYSEC_PG_PORT``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


SECRET_KEY = os.environ.get("FACTORYSEC_SECRET_KEY", "factorysec-insecure-development-key-set-FACTORYSEC_SECRET_KEY")
DEBUG = _flag("FACTORYSEC_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("FACTORYSEC_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("FACTORYSEC_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its API docs page then uses the bundled Swagger UI files, not a CDN
    "factorysec.workspace.factories",
    "factorysec.workspace.accounts",
    "factorysec.workspace.results",
    "factorysec.workspace.audit",
    "factorysec.workspace.changes",
    "factorysec.workspace.suppliers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "factorysec.workspace.urls"
WSGI_APPLICATION = "factorysec.workspace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]


def database_settings() -> dict[str, Any]:
    """The ``default`` database from the environment (see the module docstring)."""
    if os.environ.get("FACTORYSEC_DB", "sqlite").lower() in ("postgresql", "postgres"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("FACTORYSEC_PG_NAME", "factorysec"),
            "USER": os.environ.get("FACTORYSEC_PG_USER", ""),
            "PASSWORD": os.environ.get("FACTORYSEC_PG_PASSWORD", ""),
            "HOST": os.environ.get("FACTORYSEC_PG_HOST", ""),
            "PORT": os.environ.get("FACTORYSEC_PG_PORT", ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("FACTORYSEC_DB_PATH", "workspace.sqlite3"),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


DATABASES = {"default": database_settings()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["factorysec.workspace.audit.throttle.LoginThrottle", "django.contrib.auth.backends.ModelBackend"]
FACTORYSEC_WEBHOOK_URL = os.environ.get("FACTORYSEC_WEBHOOK_URL", "")
"""Where new high risks and decisions fallen due are POSTed (payload in the README); empty sends nothing."""
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FACTORYSEC_ATTACHMENT_MAX_BYTES = int(os.environ.get("FACTORYSEC_ATTACHMENT_MAX_BYTES", str(5 * 1024 * 1024)))
"""Largest attachment a supplier may upload with an answer (kept in the database)."""
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "factories:index"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = os.environ.get("FACTORYSEC_STATIC_ROOT") or None
"""Where ``collectstatic`` puts the files for a production run; unset, static files come from the apps."""
WHITENOISE_USE_FINDERS = _flag("FACTORYSEC_STATIC_FROM_APPS", True)
"""Static files come straight from the installed apps (no collectstatic step); a production run may collect them instead."""

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FACTORYSEC_LOG_LEVEL", "WARNING")},
}
