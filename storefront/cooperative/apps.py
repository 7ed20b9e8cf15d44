from django.apps import AppConfig


class CooperativeConfig(AppConfig):
    name = "storefront.cooperative"
    label = "cooperative"
