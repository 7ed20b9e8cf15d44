from django.apps import AppConfig


class ProductConfig(AppConfig):
    name = "storefront.product"
    label = "product"
