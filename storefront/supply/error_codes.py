"""Error codes of supply-and-demand actions. Saleor has no such domain; the names follow its generic ones."""
from enum import Enum


class SupplyErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    INVALID_QUANTITY = "invalid_quantity"
    INVALID_UNIT = "invalid_unit"
    INVALID_DATE_RANGE = "invalid_date_range"
    INVALID_STATUS = "invalid_status"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
