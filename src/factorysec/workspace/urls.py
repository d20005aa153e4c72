"""The workspace's URLs: login, language switch, health, the apps' pages and the JSON API."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from factorysec.workspace.accounts import views as account_views
from factorysec.workspace.api import api


def health(request: HttpRequest) -> JsonResponse:
    """For a load balancer or a monitor: the app answers and its database too."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


handler400 = "factorysec.workspace.inputs.bad_request"
"""A request over Django's limits on what it reads (too large, too many fields or files): 413 naming the limit."""
handler404 = "factorysec.workspace.apierrors.page_not_found"
"""An address under /api/ that names no operation: the API's 404 JSON, not the site's HTML page."""

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("health", health),
    path("api/", api.urls),
    path("account/tokens/", account_views.tokens, name="tokens"),
    path("f/<slug:slug>/members/", account_views.members, name="members"),
    path("", include("factorysec.workspace.results.urls")),
    path("", include("factorysec.workspace.audit.urls")),
    path("", include("factorysec.workspace.changes.urls")),
    path("", include("factorysec.workspace.suppliers.urls")),
    path("", include("factorysec.workspace.factories.urls")),
    path("", include("factorysec.workspace.vulnerabilities.urls")),
]

if getattr(settings, "OIDC_RP_CLIENT_ID", ""):
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
