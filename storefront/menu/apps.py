from django.apps import AppConfig


class MenuConfig(AppConfig):
    name = "storefront.menu"
    label = "menu"
