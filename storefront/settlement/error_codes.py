"""Settlement errors (Saleor has no settlement; named in its style, lower-case values)."""
from enum import Enum


class SettlementErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INSUFFICIENT_BALANCE = "insufficient_balance"
    INVALID = "invalid"
    REQUIRED = "required"
