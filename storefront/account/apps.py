from django.apps import AppConfig


class AccountConfig(AppConfig):
    name = "storefront.account"
    label = "account"
