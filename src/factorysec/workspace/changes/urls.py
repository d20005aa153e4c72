from django.urls import path

from factorysec.workspace.changes import views

app_name = "changes"
urlpatterns = [
    path("f/<slug:slug>/changes/", views.index, name="index"),
    path("f/<slug:slug>/changes/<int:number>/", views.detail, name="detail"),
    path("f/<slug:slug>/changes/<int:number>/review.html", views.review_page, name="review"),
    path("f/<slug:slug>/changes/<int:number>/upload/", views.upload_view, name="upload"),
    path("f/<slug:slug>/changes/<int:number>/sign/", views.sign_view, name="sign"),
    path("f/<slug:slug>/changes/<int:number>/merge/", views.merge_view, name="merge"),
    path("f/<slug:slug>/changes/<int:number>/s/<str:section>/new/", views.edit, name="new"),
    path("f/<slug:slug>/changes/<int:number>/s/<str:section>/e/<str:key>/", views.edit, name="edit"),
]
