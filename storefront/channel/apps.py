from django.apps import AppConfig


class ChannelConfig(AppConfig):
    name = "storefront.channel"
    label = "channel"
