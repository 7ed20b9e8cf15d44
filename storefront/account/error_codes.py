"""Saleor's AccountErrorCode names; values are lower-case like Saleor's, the API exposes the names."""
from enum import Enum


class AccountErrorCode(Enum):
    ACCOUNT_NOT_CONFIRMED = "account_not_confirmed"
    DUPLICATED_INPUT_ITEM = "duplicated_input_item"
    GRAPHQL_ERROR = "graphql_error"
    INACTIVE = "inactive"
    INVALID = "invalid"
    INVALID_CREDENTIALS = "invalid_credentials"
    INVALID_PASSWORD = "invalid_password"
    INVALID_PHONE = "invalid_phone"
    LOGIN_ATTEMPT_DELAYED = "login_attempt_delayed"
    NOT_FOUND = "not_found"
    PASSWORD_ENTIRELY_NUMERIC = "password_entirely_numeric"
    PASSWORD_TOO_COMMON = "password_too_common"
    PASSWORD_TOO_SHORT = "password_too_short"
    PASSWORD_TOO_SIMILAR = "password_too_similar"
    REQUIRED = "required"
    UNIQUE = "unique"
