from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ProductConfig(AppConfig):
    name = "storefront.product"
    label = "product"

    def ready(self):
        from .catalog_cache import catalog_changed

        # For every sender: the receiver keeps the catalog's apps (product, cooperative, channel),
        # so a model added later is covered without a line here.
        for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
            signal.connect(catalog_changed, dispatch_uid=f"catalog-version-{name}")
