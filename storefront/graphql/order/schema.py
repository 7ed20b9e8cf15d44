from __future__ import annotations

from graphql import GraphQLError

from storefront.core.permissions import is_cooperative_staff, is_program_staff
from storefront.order import selectors as order_selectors

from ..core.connection import paginate
from ..core.context import actor, set_current_channel
from ..core.errors import permission_error
from ..core.ids import try_decode
from . import types  # noqa: F401


class OrderQueries:
    @staticmethod
    def resolve_order(root, info, id=None, external_reference=None):
        pk = try_decode(id, "Order") if id else None
        if not pk:
            raise GraphQLError(f"Couldn't resolve id: {id}.")
        order = order_selectors.order_for_actor(actor=actor(info), order_id=pk)
        if order is not None:
            set_current_channel(info, order.channel)
        return order

    @staticmethod
    def resolve_order_by_token(root, info, token):
        order = order_selectors.order_for_actor(actor=actor(info), token=token)
        if order is not None:
            set_current_channel(info, order.channel)
        return order

    @staticmethod
    def resolve_orders(root, info, sort_by=None, filter=None, where=None, channel=None, search=None, **page):
        user = actor(info)
        if not (is_program_staff(user) or is_cooperative_staff(user)):
            raise permission_error()
        return paginate(order_selectors.orders_for_staff(actor=user), name="orders", **page)
