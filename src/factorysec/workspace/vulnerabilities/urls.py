from django.urls import path

from factorysec.workspace.vulnerabilities import views

app_name = "vulnerabilities"
urlpatterns = [
    path("f/<slug:slug>/vulnerabilities/", views.index, name="index"),
]
