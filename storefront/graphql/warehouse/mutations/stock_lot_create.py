"""Extension: a cooperative's staff record a harvest lot of a variant in one of their warehouses."""
from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError

from storefront.warehouse import services as warehouse_services
from storefront.warehouse.models import Warehouse

from ...core.errors import errors_from_validation, permission_error
from ...core.mutations import MUTATIONS
from ...core.saleor import named
from ...product.inputs import get_object, require_staff, variant_by_id
from ..lots import STOCK_LOT_ERROR_CODES, StockLot, StockLotError, StockLotStandardEnum


class StockLotCreateInput(graphene.InputObjectType):
    variant = graphene.ID(required=True)
    warehouse = graphene.ID(required=True)
    quantity = graphene.Int(required=True)
    code = graphene.String(description="Left blank, one is generated.")
    harvest_date = named("Date")()
    best_before = named("Date")()
    shelf_life_days = graphene.Int(description="Days from the harvest date, when bestBefore is not given.")
    standard = StockLotStandardEnum()
    certificate = graphene.String()
    note = graphene.String()


class StockLotCreate(graphene.ObjectType):
    stock_lot = graphene.Field(StockLot)
    errors = graphene.List(graphene.NonNull(StockLotError), required=True)


def resolve(root, info, input):
    try:
        user = require_staff(info)
        variant = variant_by_id(input["variant"], field="variant", user=user)
        warehouse = get_object(Warehouse, input["warehouse"], "Warehouse", "warehouse")
        standard = input.get("standard")
        lot = warehouse_services.stock_lot_create(
            actor=user, variant=variant, warehouse=warehouse, quantity=input["quantity"],
            code=input.get("code") or "", harvest_date=input.get("harvest_date"),
            best_before=input.get("best_before"), shelf_life_days=input.get("shelf_life_days"),
            standard=getattr(standard, "value", standard) or "", certificate=input.get("certificate") or "",
            note=input.get("note") or "")
    except ValidationError as exc:
        return StockLotCreate(stock_lot=None, errors=errors_from_validation(exc, allowed_codes=STOCK_LOT_ERROR_CODES))
    except PermissionDenied as exc:
        raise permission_error(exc) from None
    return StockLotCreate(stock_lot=lot, errors=[])


MUTATIONS["stock_lot_create"] = graphene.Field(
    StockLotCreate, input=StockLotCreateInput(required=True), resolver=resolve, name="stockLotCreate",
    description="Extension: record a harvest lot; its units go on sale at once.")
