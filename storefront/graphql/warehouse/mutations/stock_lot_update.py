"""Extension: correct a harvest lot's dates, standard, certificate or note."""
from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError

from storefront.warehouse import services as warehouse_services
from storefront.warehouse.models import StockLot as StockLotModel

from ...core.errors import errors_from_validation, permission_error
from ...core.ids import decode_int_id
from ...core.mutations import MUTATIONS
from ...core.saleor import named
from ...product.inputs import require_staff
from ..lots import STOCK_LOT_ERROR_CODES, StockLot, StockLotError, StockLotStandardEnum


class StockLotUpdateInput(graphene.InputObjectType):
    harvest_date = named("Date")()
    best_before = named("Date")()
    standard = StockLotStandardEnum()
    certificate = graphene.String()
    note = graphene.String()


class StockLotUpdate(graphene.ObjectType):
    stock_lot = graphene.Field(StockLot)
    errors = graphene.List(graphene.NonNull(StockLotError), required=True)


def resolve(root, info, id, input):
    try:
        user = require_staff(info)
        lot = StockLotModel.objects.filter(pk=decode_int_id(id, expected="StockLot", field="id")).first()
        if lot is None:
            raise ValidationError({"id": ValidationError(f"Couldn't resolve to a node: {id}", code="not_found")})
        standard = input.get("standard")
        lot = warehouse_services.stock_lot_update(
            actor=user, lot=lot, harvest_date=input.get("harvest_date"), best_before=input.get("best_before"),
            standard=getattr(standard, "value", standard), certificate=input.get("certificate"),
            note=input.get("note"))
    except ValidationError as exc:
        return StockLotUpdate(stock_lot=None, errors=errors_from_validation(exc, allowed_codes=STOCK_LOT_ERROR_CODES))
    except PermissionDenied as exc:
        raise permission_error(exc) from None
    return StockLotUpdate(stock_lot=lot, errors=[])


MUTATIONS["stock_lot_update"] = graphene.Field(
    StockLotUpdate, id=graphene.ID(required=True), input=StockLotUpdateInput(required=True), resolver=resolve,
    name="stockLotUpdate", description="Extension: correct a harvest lot (its units stay).")
