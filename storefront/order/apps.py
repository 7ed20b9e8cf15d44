from django.apps import AppConfig


class OrderConfig(AppConfig):
    name = "storefront.order"
    label = "order"
