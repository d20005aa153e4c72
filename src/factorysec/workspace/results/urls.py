from django.urls import path

from factorysec.workspace.results import views

app_name = "results"
urlpatterns = [
    path("f/<slug:slug>/analysis/", views.analysis, name="analysis"),
    path("f/<slug:slug>/jobs/<int:pk>/", views.job, name="job"),
    path("f/<slug:slug>/jobs/<int:pk>/reports.zip", views.job_output, name="job-output"),
    path("f/<slug:slug>/reports/", views.reports, name="reports"),
    path("f/<slug:slug>/results/", views.findings, name="findings"),
    path("f/<slug:slug>/results/by/<str:dimension>/", views.groups, name="groups"),
    path("f/<slug:slug>/results/finding/<path:finding_id>/", views.finding, name="finding"),
    path("f/<slug:slug>/diagram/", views.diagram, name="diagram"),
]
