from django.urls import path

from factorysec.workspace.factories import views

app_name = "factories"
urlpatterns = [
    path("", views.index, name="index"),
    path("f/<slug:slug>/", views.overview, name="overview"),
    path("f/<slug:slug>/export.yaml", views.export, name="export"),
    path("f/<slug:slug>/export.xlsx", views.export_workbook, name="export-workbook"),
    path("f/<slug:slug>/import/", views.import_view, name="import"),
    path("f/<slug:slug>/history/", views.history, name="history"),
    path("f/<slug:slug>/s/<str:section>/", views.section_list, name="section"),
    path("f/<slug:slug>/s/<str:section>/new/", views.element, name="new"),
    path("f/<slug:slug>/s/<str:section>/e/<str:key>/", views.element, name="element"),
    path("f/<slug:slug>/s/<str:section>/e/<str:key>/delete/", views.delete, name="delete"),
]
