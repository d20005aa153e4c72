"""The workspace's JSON API: session login (with CSRF) for the browser, bearer tokens for CI."""

from ninja import NinjaAPI
from ninja.security import django_auth

from factorysec.workspace.accounts.tokens import BearerToken
from factorysec.workspace.audit.api import router as audit_router
from factorysec.workspace.changes.api import router as changes_router
from factorysec.workspace.factories.api import router as factories_router
from factorysec.workspace.results.api import router as results_router
from factorysec.workspace.suppliers.api import router as suppliers_router

api = NinjaAPI(title="factorysec workspace", version="1", auth=[BearerToken(), django_auth], urls_namespace="api")
api.add_router("/factories", factories_router)
api.add_router("/factories", results_router)
api.add_router("/", audit_router)
api.add_router("/", changes_router)
api.add_router("/", suppliers_router)
