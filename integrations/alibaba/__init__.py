"""Alibaba.com (ICBU) B2B catalog protocol client.

No Django, no storefront, no catalog_sync imports; the client and the sandbox
(``integrations.alibaba.sandbox``) never import each other. Names are loaded lazily so that importing
the sandbox subpackage does not load the client.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "client": ["AlibabaClient"],
    "config": ["AlibabaSettings"],
    "errors": ["AlibabaError", "RetryableError", "PermanentError", "RateLimited", "ServerError", "Timeout",
               "ConnectionFailed", "InvalidSignature", "InvalidSession", "SessionExpired", "InvalidAppKey",
               "InvalidTimestamp", "BadParameter", "PermissionDenied", "BusinessRuleError", "ProductNotFound",
               "ProtocolError", "FeatureUnavailable"],
    "payloads": ["AttributeValue", "AuditFailReason", "Category", "CategoryAttribute", "CategoryNode",
                 "DeliverPeriod", "DisplayResult", "Inquiry", "InquiryReply", "Page", "PhotobankImage", "PriceTier",
                 "Product", "ProductAttribute", "ProductBrief", "ProductDraft", "ProductStatus", "SourcingTrade",
                 "UploadedFile", "UploadedImage"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
