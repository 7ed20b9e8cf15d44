from django.apps import AppConfig, apps
from django.core import signals as request_signals
from django.db.models.signals import m2m_changed, post_delete, post_save


class ProductConfig(AppConfig):
    name = "storefront.product"
    label = "product"

    def ready(self):
        from . import catalog_cache
        from .catalog_cache import CATALOG_APPS, catalog_changed

        request_signals.request_started.connect(catalog_cache.request_started, dispatch_uid="catalog-version-pin")
        request_signals.request_finished.connect(catalog_cache.request_finished, dispatch_uid="catalog-version-unpin")

        # Every model of the catalog's apps (product, cooperative, channel), their many-to-many
        # tables included, so a model added later is covered without a line here. Connected per
        # sender, never for all models: a post_delete receiver on a model takes Django's fast,
        # row-less delete away from it.
        for label in sorted(CATALOG_APPS):
            for model in apps.get_app_config(label).get_models(include_auto_created=True):
                for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
                    signal.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-version-{name}-{model._meta.label}")
