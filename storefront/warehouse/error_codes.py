"""Saleor's StockErrorCode names; values are lower-case like Saleor's, the API exposes the names."""
from enum import Enum


class StockErrorCode(Enum):
    ALREADY_EXISTS = "already_exists"
    GRAPHQL_ERROR = "graphql_error"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
