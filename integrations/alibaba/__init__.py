"""Alibaba.com (ICBU) B2B catalog protocol client.

No Django, no storefront, no catalog_sync imports; the client and the sandbox
(``integrations.alibaba.sandbox``) never import each other.
"""

from .client import AlibabaClient
from .config import AlibabaSettings
from .errors import (AlibabaError, BadParameter, BusinessRuleError, ConnectionFailed, FeatureUnavailable,
                     InvalidAppKey, InvalidSession, InvalidSignature, InvalidTimestamp, PermanentError,
                     PermissionDenied, ProductNotFound, ProtocolError, RateLimited, RetryableError, ServerError,
                     SessionExpired, Timeout)
from .payloads import (AttributeValue, AuditFailReason, Category, CategoryAttribute, CategoryNode, DeliverPeriod,
                       DisplayResult, Inquiry, InquiryReply, Page, PhotobankImage, PriceTier, Product,
                       ProductAttribute, ProductBrief, ProductDraft, ProductStatus, SourcingTrade, UploadedImage)

__all__ = [
    "AlibabaClient", "AlibabaSettings",
    "AlibabaError", "RetryableError", "PermanentError", "RateLimited", "ServerError", "Timeout",
    "ConnectionFailed", "InvalidSignature", "InvalidSession", "SessionExpired", "InvalidAppKey",
    "InvalidTimestamp", "BadParameter", "PermissionDenied", "BusinessRuleError", "ProductNotFound",
    "ProtocolError", "FeatureUnavailable",
    "AttributeValue", "AuditFailReason", "Category", "CategoryAttribute", "CategoryNode", "DeliverPeriod",
    "DisplayResult", "Inquiry", "InquiryReply", "Page", "PhotobankImage", "PriceTier", "Product",
    "ProductAttribute", "ProductBrief", "ProductDraft", "ProductStatus", "SourcingTrade", "UploadedImage",
]
