from __future__ import annotations

from storefront.warehouse.models import Stock, StockLot, Warehouse
from storefront.warehouse.selectors import next_lots

from ..core.dataloaders import BaseLoader, grouped, model_loader

WarehouseByIdLoader = model_loader(Warehouse, select_related=("province", "commune", "cooperative"))


class StocksByVariantIdLoader(BaseLoader):
    def batch_load(self, keys):
        rows = Stock.objects.filter(product_variant_id__in=keys).select_related("warehouse").order_by("pk")
        return grouped(keys, rows, lambda s: s.product_variant_id)


class LotsByVariantIdLoader(BaseLoader):
    """Every lot of each variant (staff only: the resolver checks who asks)."""

    def batch_load(self, keys):
        rows = (StockLot.objects.filter(stock__product_variant_id__in=keys)
                .select_related("stock__warehouse__province", "stock__warehouse__commune",
                                "stock__warehouse__cooperative").order_by("pk"))
        return grouped(keys, rows, lambda lot: lot.stock.product_variant_id)


class NextLotByVariantIdLoader(BaseLoader):
    def batch_load(self, keys):
        found = next_lots(variant_ids=keys)
        return [found.get(int(key)) for key in keys]


class NextLotByStockIdLoader(BaseLoader):
    def batch_load(self, keys):
        found = next_lots(stock_ids=keys)
        return [found.get(int(key)) for key in keys]
