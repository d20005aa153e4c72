"""WSGI entry point for an application server (``gunicorn factorysec.workspace.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factorysec.workspace.settings")
application = get_wsgi_application()
