from django.urls import path

from factorysec.workspace.audit import views

app_name = "audit"
urlpatterns = [
    path("audit/export.<str:fmt>", views.export, name="export"),
    path("f/<slug:slug>/audit/", views.log, name="log"),
    path("f/<slug:slug>/decisions/", views.decisions, name="decisions"),
    path("f/<slug:slug>/decisions.yaml", views.decisions_file, name="decisions-file"),
    path("f/<slug:slug>/trackers/<str:what>.<str:fmt>", views.tracker_export, name="tracker-export"),
]
