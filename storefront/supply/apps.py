from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "storefront.supply"
    label = "supply"
