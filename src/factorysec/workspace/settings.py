"""Django settings, read from environment variables so that one code base serves a laptop and a company.

Database: SQLite by default (``FACTORYSEC_DB_PATH``, default ``workspace.sqlite3``
in the working directory), set up for several people at once: write-ahead log,
a busy timeout, and transactions that take the write lock when they begin
(``IMMEDIATE``) so that two writers wait for each other instead of failing.
``FACTORYSEC_DB=postgresql`` selects PostgreSQL with ``FACTORYSEC_PG_NAME``,
``FACTORYSEC_PG_USER``, ``FACTORYSEC_PG_PASSWORD``, ``FACTORYSEC_PG_HOST`` (a
host name or a unix socket folder) and ``FACTORYSEC_PG_PORT``.

Connections are kept (``CONN_MAX_AGE``) by the thread that opened them, from one
request to the next: ``factorysec serve`` and gunicorn's threaded workers answer
on a fixed pool of threads, so a request does not pay for a new connection
(on PostgreSQL a backend process forked for it; on SQLite the file opened and
its pragmas run).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from factorysec.workspace.env import attachment_max_bytes

PACKAGE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


SECRET_KEY = os.environ.get("FACTORYSEC_SECRET_KEY", "factorysec-insecure-development-key-set-FACTORYSEC_SECRET_KEY")
DEBUG = _flag("FACTORYSEC_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("FACTORYSEC_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("FACTORYSEC_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its API docs page then uses the bundled Swagger UI files, not a CDN
    "django_tasks",
    "django_tasks_db",  # the task queue's table: background jobs survive a restart and any worker process may take them
    "factorysec.workspace.factories",
    "factorysec.workspace.accounts",
    "factorysec.workspace.results",
    "factorysec.workspace.audit",
    "factorysec.workspace.changes",
    "factorysec.workspace.suppliers",
    "factorysec.workspace.vulnerabilities",
]

MIDDLEWARE = [
    "factorysec.workspace.concurrency.ConcurrencyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "factorysec.workspace.inputs.UnstorableInputMiddleware",  # NUL, lone surrogates: a 4xx naming the field, not a 500
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "factorysec.workspace.factories.stale.StoredModelMiddleware",  # a stored model this version refuses: 409, not 500
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
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    return {
        "ENGINE": "factorysec.workspace.sqlite",
        "NAME": os.environ.get("FACTORYSEC_DB_PATH", "workspace.sqlite3"),
        "CONN_MAX_AGE": 600,
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
FACTORYSEC_WEBHOOK_URL = os.environ.get("FACTORYSEC_WEBHOOK_URL", "")
"""Where new high risks and decisions fallen due are POSTed (payload in docs/workspace.md); empty sends nothing."""
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
"""Django's limits on what a request holds (its defaults): a request over one is refused with 413 naming the limit and
this setting (:func:`factorysec.workspace.inputs.bad_request`)."""
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FACTORYSEC_ATTACHMENT_MAX_BYTES = attachment_max_bytes()
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

TASKS = {
    "default": {
        "BACKEND": os.environ.get("FACTORYSEC_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
"""Background work (analysis, imports, report bundles) goes through the database-backed queue; ``factorysec serve`` starts
a worker (``db_worker``) beside the web server. ``FACTORYSEC_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend``
runs each task at once in the process that queued it (tests, scripts)."""


THROTTLE_BACKEND = "factorysec.workspace.audit.throttle.LoginThrottle"
"""First of every backend list: refuses a login after too many failures, whichever backend would accept it."""


def authentication_settings(environ: dict[str, str] | os._Environ[str]) -> dict[str, Any]:
    """Authentication backends and their settings from the environment: local accounts always; LDAP/Active Directory
    (``django-auth-ldap``, the ``ldap`` extra) when ``FACTORYSEC_LDAP_SERVER_URI`` is set; OpenID Connect
    (``mozilla-django-oidc``, the ``oidc`` extra) when ``FACTORYSEC_OIDC_CLIENT_ID`` is set.

    LDAP: ``FACTORYSEC_LDAP_BIND_DN``, ``FACTORYSEC_LDAP_BIND_PASSWORD``, and either ``FACTORYSEC_LDAP_USER_DN_TEMPLATE``
    (``uid=%(user)s,ou=people,dc=example,dc=com``) or ``FACTORYSEC_LDAP_USER_SEARCH_BASE`` with ``FACTORYSEC_LDAP_USER_FILTER``
    (default ``(sAMAccountName=%(user)s)``, Active Directory's); ``FACTORYSEC_LDAP_START_TLS=1``.
    OpenID Connect: ``FACTORYSEC_OIDC_CLIENT_SECRET``, ``FACTORYSEC_OIDC_AUTHORIZATION_ENDPOINT``, ``..._TOKEN_ENDPOINT``,
    ``..._USER_ENDPOINT``, ``..._JWKS_ENDPOINT`` and ``FACTORYSEC_OIDC_SIGN_ALGO`` (default ``RS256``).
    """
    found: dict[str, Any] = {
        "AUTHENTICATION_BACKENDS": [THROTTLE_BACKEND, "django.contrib.auth.backends.ModelBackend"],
        "EXTRA_APPS": [],
    }
    ldap_uri = environ.get("FACTORYSEC_LDAP_SERVER_URI", "").strip()
    if ldap_uri:
        import ldap  # type: ignore[import-untyped]
        from django_auth_ldap.config import LDAPSearch  # type: ignore[import-untyped]

        found["AUTHENTICATION_BACKENDS"].insert(1, "django_auth_ldap.backend.LDAPBackend")
        found["AUTH_LDAP_SERVER_URI"] = ldap_uri
        found["AUTH_LDAP_BIND_DN"] = environ.get("FACTORYSEC_LDAP_BIND_DN", "")
        found["AUTH_LDAP_BIND_PASSWORD"] = environ.get("FACTORYSEC_LDAP_BIND_PASSWORD", "")
        found["AUTH_LDAP_START_TLS"] = environ.get("FACTORYSEC_LDAP_START_TLS", "").lower() in (
            "1",
            "true",
            "yes",
            "on",
        )
        template = environ.get("FACTORYSEC_LDAP_USER_DN_TEMPLATE", "").strip()
        if template:
            found["AUTH_LDAP_USER_DN_TEMPLATE"] = template
        else:
            base = environ.get("FACTORYSEC_LDAP_USER_SEARCH_BASE", "")
            found["AUTH_LDAP_USER_SEARCH"] = LDAPSearch(
                base, ldap.SCOPE_SUBTREE, environ.get("FACTORYSEC_LDAP_USER_FILTER", "(sAMAccountName=%(user)s)")
            )
        found["AUTH_LDAP_USER_ATTR_MAP"] = {"first_name": "givenName", "last_name": "sn", "email": "mail"}
    client_id = environ.get("FACTORYSEC_OIDC_CLIENT_ID", "").strip()
    if client_id:
        found["AUTHENTICATION_BACKENDS"].append("mozilla_django_oidc.auth.OIDCAuthenticationBackend")
        found["EXTRA_APPS"].append("mozilla_django_oidc")
        found["OIDC_RP_CLIENT_ID"] = client_id
        found["OIDC_RP_CLIENT_SECRET"] = environ.get("FACTORYSEC_OIDC_CLIENT_SECRET", "")
        found["OIDC_OP_AUTHORIZATION_ENDPOINT"] = environ.get("FACTORYSEC_OIDC_AUTHORIZATION_ENDPOINT", "")
        found["OIDC_OP_TOKEN_ENDPOINT"] = environ.get("FACTORYSEC_OIDC_TOKEN_ENDPOINT", "")
        found["OIDC_OP_USER_ENDPOINT"] = environ.get("FACTORYSEC_OIDC_USER_ENDPOINT", "")
        found["OIDC_OP_JWKS_ENDPOINT"] = environ.get("FACTORYSEC_OIDC_JWKS_ENDPOINT", "")
        found["OIDC_RP_SIGN_ALGO"] = environ.get("FACTORYSEC_OIDC_SIGN_ALGO", "RS256")
        found["OIDC_RP_SCOPES"] = "openid email profile"
    return found


_AUTH = authentication_settings(os.environ)
INSTALLED_APPS += _AUTH.pop("EXTRA_APPS")
globals().update(_AUTH)

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FACTORYSEC_LOG_LEVEL", "WARNING")},
}

FACTORYSEC_ADVISORIES_PATH = os.environ.get("FACTORYSEC_ADVISORIES_PATH", "")
"""A folder of CSAF 2.0 advisories (e.g. a clone of cisagov/CSAF) the vulnerability job reads when nothing is uploaded."""
FACTORYSEC_KEV_PATH = os.environ.get("FACTORYSEC_KEV_PATH", "")
"""CISA's known_exploited_vulnerabilities.json, read by the vulnerability job when set."""
