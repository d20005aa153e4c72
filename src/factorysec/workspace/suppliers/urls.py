from django.urls import path

from factorysec.workspace.suppliers import views

app_name = "suppliers"
urlpatterns = [
    path("f/<slug:slug>/suppliers/", views.portal, name="portal"),
    path("f/<slug:slug>/suppliers/answers/<int:number>/", views.answer_detail, name="answer"),
    path("f/<slug:slug>/suppliers/answers/<int:number>/attachment", views.attachment, name="attachment"),
    path("f/<slug:slug>/suppliers/answers/<int:number>/verdict/", views.verdict, name="verdict"),
]
