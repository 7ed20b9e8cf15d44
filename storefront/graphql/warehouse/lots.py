"""Extension: harvest lots (Saleor has none). Staff read and record them; shoppers see only the
dates of the lot they would get, on products whose cooperative chose to show them."""
from __future__ import annotations

import graphene

from storefront.web.traceability import lot_public_url

from ..core.ids import global_id
from ..core.saleor import named

StockLotStandardEnum = graphene.Enum("StockLotStandardEnum", [
    ("VIETGAP", "vietgap"), ("GLOBALGAP", "globalgap"), ("OCOP", "ocop"), ("ORGANIC", "organic")])

StockLotErrorCode = graphene.Enum("StockLotErrorCode", [
    (code, code) for code in ("ALREADY_EXISTS", "GRAPHQL_ERROR", "INVALID", "NOT_FOUND", "REQUIRED", "UNIQUE")])
STOCK_LOT_ERROR_CODES = {"ALREADY_EXISTS", "GRAPHQL_ERROR", "INVALID", "NOT_FOUND", "REQUIRED", "UNIQUE"}


class StockLotError(graphene.ObjectType):
    field = graphene.String()
    message = graphene.String()
    code = graphene.Field(StockLotErrorCode, required=True)

    @staticmethod
    def resolve_code(root, info):
        return root["code"]

    @staticmethod
    def resolve_field(root, info):
        return root.get("field")

    @staticmethod
    def resolve_message(root, info):
        return root.get("message")


class StockLot(graphene.ObjectType):
    id = graphene.ID(required=True)
    code = graphene.String(required=True, description="The cooperative's lot code, unique within it.")
    warehouse = graphene.Field(lambda: named("Warehouse"), required=True)
    harvest_date = named("Date")(description="Harvest or production date.")
    best_before = named("Date")()
    sellable_until = named("Date")(description="Last day (Vietnam time) a unit of the lot is sold.")
    quantity = graphene.Int(required=True, description="Units still in the warehouse.")
    quantity_allocated = graphene.Int(required=True, description="Units held for orders.")
    quantity_expired = graphene.Int(required=True, description="Units written off when the lot expired.")
    is_expired = graphene.Boolean(required=True)
    standard = graphene.Field(StockLotStandardEnum)
    certificate = graphene.String(required=True)
    note = graphene.String(required=True)
    traceability_url = graphene.String(required=True, description="The lot's public page (printed as a QR code).")

    @staticmethod
    def resolve_id(root, info):
        return global_id("StockLot", root.pk)

    @staticmethod
    def resolve_warehouse(root, info):
        return root.stock.warehouse

    @staticmethod
    def resolve_is_expired(root, info):
        return root.expired_at is not None

    @staticmethod
    def resolve_standard(root, info):
        return root.standard or None

    @staticmethod
    def resolve_traceability_url(root, info):
        return lot_public_url(root)

