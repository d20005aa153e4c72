from django.urls import path

from factorysec.workspace.results import views

app_name = "results"
urlpatterns = [
    path("f/<slug:slug>/analysis/", views.analysis, name="analysis"),
    path("f/<slug:slug>/reports.zip", views.reports, name="reports"),
]
