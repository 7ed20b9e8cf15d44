from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "storefront.web"
    label = "web"
