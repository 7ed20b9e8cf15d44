"""Saleor's ProductErrorCode and CollectionErrorCode names; lower-case values like Saleor's."""
from enum import Enum


class ProductErrorCode(Enum):
    ALREADY_EXISTS = "already_exists"
    ATTRIBUTE_ALREADY_ASSIGNED = "attribute_already_assigned"
    CANNOT_MANAGE_PRODUCT_WITHOUT_VARIANT = "cannot_manage_product_without_variant"
    DUPLICATED_INPUT_ITEM = "duplicated_input_item"
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    INVALID_PRICE = "invalid_price"
    MEDIA_ALREADY_ASSIGNED = "media_already_assigned"
    NOT_FOUND = "not_found"
    NOT_PRODUCTS_IMAGE = "not_products_image"
    NOT_PRODUCTS_VARIANT = "not_products_variant"
    PRODUCT_NOT_ASSIGNED_TO_CHANNEL = "product_not_assigned_to_channel"
    PRODUCT_WITHOUT_CATEGORY = "product_without_category"
    REQUIRED = "required"
    UNIQUE = "unique"
    UNSUPPORTED_MEDIA_PROVIDER = "unsupported_media_provider"
    # Ours: a combo's components, and an image too large to decode safely.
    INVALID_COMBO_COMPONENT = "invalid_combo_component"
    IMAGE_TOO_LARGE = "image_too_large"
    PRODUCT_IN_USE = "product_in_use"


class CollectionErrorCode(Enum):
    CANNOT_MANAGE_PRODUCT_WITHOUT_VARIANT = "cannot_manage_product_without_variant"
    DUPLICATED_INPUT_ITEM = "duplicated_input_item"
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
