"""Saleor's OrderErrorCode names; values are lower-case like Saleor's, the API exposes the names."""
from enum import Enum


class OrderErrorCode(Enum):
    CANNOT_CANCEL_FULFILLMENT = "cannot_cancel_fulfillment"
    CANNOT_CANCEL_ORDER = "cannot_cancel_order"
    CANNOT_FULFILL_UNPAID_ORDER = "cannot_fulfill_unpaid_order"
    FULFILL_ORDER_LINE = "fulfill_order_line"
    GRAPHQL_ERROR = "graphql_error"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID = "invalid"
    INVALID_QUANTITY = "invalid_quantity"
    NOT_FOUND = "not_found"
    NOT_EDITABLE = "not_editable"
    ORDER_NO_SHIPPING_ADDRESS = "order_no_shipping_address"
    REQUIRED = "required"
    ZERO_QUANTITY = "zero_quantity"


class OrderGrantRefundCreateErrorCode(Enum):
    AMOUNT_GREATER_THAN_AVAILABLE = "amount_greater_than_available"
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
