from django.apps import AppConfig


class CatalogSyncConfig(AppConfig):
    name = "catalog_sync"
    label = "catalog_sync"
