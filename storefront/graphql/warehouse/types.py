"""Warehouse and Stock. Stock quantities are shown only to the owning cooperative's staff."""
from __future__ import annotations

from storefront.account.models import Address
from storefront.warehouse import models as m

from ..core.connection import paginate
from ..core.dataloaders import loader
from ..core.saleor import SaleorObjectType, named
from . import dataloaders as dl


class Warehouse(SaleorObjectType):
    class Meta:
        model = m.Warehouse
        fields = {"name": "name", "slug": "slug", "email": "email", "isPrivate": "is_private"}
        unsupported = ("externalReference",)

    @staticmethod
    def resolve_company_name(root, info):
        return root.cooperative.name

    @staticmethod
    def resolve_click_and_collect_option(root, info):
        return "DISABLED"

    @staticmethod
    def resolve_address(root, info):
        # Saleor gives a warehouse an Address; ours keeps the parts on the warehouse (id 0: unsaved).
        return Address(id=0, company_name=root.cooperative.name, street_address_1=root.street,
                       city=root.commune.name if root.commune_id else "", country="VN",
                       country_area=root.province.full_name, phone="")

    @staticmethod
    def resolve_shipping_zones(root, info, **page):
        return paginate([], name="shippingZones", **page)

    @staticmethod
    def resolve_stocks(root, info, **page):
        return None


class Stock(SaleorObjectType):
    class Meta:
        model = m.Stock
        fields = {"quantity": "quantity", "quantityAllocated": "quantity_allocated"}

    best_before = named("Date")(description="Extension: best-before date of the lot the next unit comes from.")
    harvest_date = named("Date")(description="Extension: harvest date of that lot.")

    @staticmethod
    def resolve_best_before(root, info):
        return loader(info, dl.NextLotByStockIdLoader).load(root.pk).then(lambda lot: lot.best_before if lot else None)

    @staticmethod
    def resolve_harvest_date(root, info):
        return loader(info, dl.NextLotByStockIdLoader).load(root.pk).then(lambda lot: lot.harvest_date if lot else None)

    @staticmethod
    def resolve_warehouse(root, info):
        return loader(info, dl.WarehouseByIdLoader).load(root.warehouse_id)

    @staticmethod
    def resolve_product_variant(root, info):
        from ..product.dataloaders import ProductVariantByIdLoader

        return loader(info, ProductVariantByIdLoader).load(root.product_variant_id)

    @staticmethod
    def resolve_quantity_reserved(root, info):
        return 0
