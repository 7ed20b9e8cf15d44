from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo shop (`manage.py seed_demo`): it loads sample data through every domain's services,
    so it sits with the interfaces, above the domain apps, none of which imports it."""
    name = "storefront.demo"
    label = "demo"
