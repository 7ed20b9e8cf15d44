from enum import Enum


class CatalogSyncErrorCode(Enum):
    """Saleor-style names (values lower-case; the API exposes the upper-case names)."""

    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    GRAPHQL_ERROR = "graphql_error"
    NO_EXCHANGE_RATE = "no_exchange_rate"
    PRICE_TIERS_INVALID = "price_tiers_invalid"
    PLATFORM_ERROR = "platform_error"
    FEATURE_UNAVAILABLE = "feature_unavailable"
    LISTING_GONE = "listing_gone"
