from django.apps import AppConfig


class SettlementConfig(AppConfig):
    name = "storefront.settlement"
    label = "settlement"
