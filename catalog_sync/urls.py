from django.urls import path

app_name = "catalog_sync"
urlpatterns: list = []
