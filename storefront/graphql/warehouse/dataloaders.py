from __future__ import annotations

from storefront.warehouse.models import Stock, Warehouse

from ..core.dataloaders import BaseLoader, grouped, model_loader

WarehouseByIdLoader = model_loader(Warehouse, select_related=("province", "commune", "cooperative"))


class StocksByVariantIdLoader(BaseLoader):
    def batch_load(self, keys):
        rows = Stock.objects.filter(product_variant_id__in=keys).select_related("warehouse").order_by("pk")
        return grouped(keys, rows, lambda s: s.product_variant_id)
