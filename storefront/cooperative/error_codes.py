"""Error codes of cooperative actions. Saleor has no cooperative; the names follow its generic ones."""
from enum import Enum


class CooperativeErrorCode(Enum):
    ALREADY_EXISTS = "already_exists"
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    INVALID_FILE = "invalid_file"
    FILE_TOO_LARGE = "file_too_large"
    FILE_SCRIPTED = "file_scripted"
    FILE_REQUIRED = "file_required"
    INVALID_PHONE = "invalid_phone"
    INVALID_STATUS = "invalid_status"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
