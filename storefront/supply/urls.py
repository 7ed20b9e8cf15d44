from django.urls import path

app_name = "supply"
urlpatterns: list = []
