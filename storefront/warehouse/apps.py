from django.apps import AppConfig


class WarehouseConfig(AppConfig):
    name = "storefront.warehouse"
    label = "warehouse"
