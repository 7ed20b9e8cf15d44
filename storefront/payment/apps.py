from django.apps import AppConfig


class PaymentConfig(AppConfig):
    name = "storefront.payment"
    label = "payment"
