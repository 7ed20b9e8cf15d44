from __future__ import annotations

from storefront.core.permissions import cooperative_ids_of, is_program_staff
from storefront.warehouse.models import Stock, Warehouse

from ..core.connection import paginate
from ..core.context import actor
from ..core.errors import permission_error
from ..core.ids import try_decode
from . import types  # noqa: F401


def _warehouses_for(info):
    """Staff see their cooperative's warehouses (program staff all); others see none."""
    user = actor(info)
    if is_program_staff(user):
        return Warehouse.objects.all()
    ids = cooperative_ids_of(user)
    if not ids:
        raise permission_error()
    return Warehouse.objects.filter(cooperative_id__in=ids)


class WarehouseQueries:
    @staticmethod
    def resolve_warehouse(root, info, id=None, external_reference=None):
        pk = try_decode(id, "Warehouse") if id else None
        if not pk or not pk.isdigit():
            return None
        return _warehouses_for(info).select_related("province", "commune", "cooperative").filter(pk=int(pk)).first()

    @staticmethod
    def resolve_warehouses(root, info, filter=None, sort_by=None, **page):
        queryset = _warehouses_for(info).select_related("province", "commune", "cooperative").order_by("slug")
        return paginate(queryset, name="warehouses", **page)

    @staticmethod
    def resolve_stocks(root, info, filter=None, **page):
        warehouses = _warehouses_for(info)
        return paginate(Stock.objects.filter(warehouse__in=warehouses).order_by("pk"), name="stocks", **page)
