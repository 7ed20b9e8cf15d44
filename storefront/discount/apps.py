from django.apps import AppConfig


class DiscountConfig(AppConfig):
    name = "storefront.discount"
    label = "discount"
