from django.urls import path

app_name = "suppliers"
urlpatterns: list[object] = []
