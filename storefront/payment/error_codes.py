"""Saleor's PaymentErrorCode names; values are lower-case like Saleor's, the API exposes the names."""
from enum import Enum


class PaymentErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    NOT_SUPPORTED_GATEWAY = "not_supported_gateway"
    PARTIAL_PAYMENT_NOT_ALLOWED = "partial_payment_not_allowed"
    PAYMENT_ERROR = "payment_error"
    REQUIRED = "required"
