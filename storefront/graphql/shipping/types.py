"""ShippingMethod: a method quoted for a checkout (price after the free-shipping threshold) or the
method stored on an order."""
from __future__ import annotations

from storefront.shipping.models import ShippingMethod as ShippingMethodModel
from storefront.shipping.selectors import ShippingMethodQuote

from ..core.money import money
from ..core.saleor import SaleorObjectType, register
from ..core.values import editorjs, is_english, language_display, weight


def _method(root) -> ShippingMethodModel:
    return root.method if isinstance(root, ShippingMethodQuote) else root


class ShippingMethod(SaleorObjectType):
    class Meta:
        model = ShippingMethodModel
        fields = {"minimumDeliveryDays": "minimum_delivery_days", "maximumDeliveryDays": "maximum_delivery_days"}
        unsupported = ("maximumOrderPrice", "minimumOrderPrice", "message")

    @staticmethod
    def resolve_id(root, info):
        return _method(root).pk

    @staticmethod
    def resolve_type(root, info):
        return "WEIGHT" if _method(root).type == ShippingMethodModel.Type.WEIGHT else "PRICE"

    @staticmethod
    def resolve_name(root, info):
        return _method(root).name

    @staticmethod
    def resolve_description(root, info):
        return editorjs(_method(root).description)

    @staticmethod
    def resolve_minimum_order_weight(root, info):
        return weight(_method(root).min_weight_g)

    @staticmethod
    def resolve_maximum_order_weight(root, info):
        return weight(_method(root).max_weight_g)

    @staticmethod
    def resolve_price(root, info):
        price = root.price if isinstance(root, ShippingMethodQuote) else root.price_amount
        return money(price, "VND")

    @staticmethod
    def resolve_active(root, info):
        return True

    @staticmethod
    def resolve_translation(root, info, language_code):
        method = _method(root)
        if not (is_english(language_code) and method.name_en):
            return None
        return {"__typename": "ShippingMethodTranslation", "id": method.pk, "name": method.name_en,
                "language": language_display(language_code), "description": None}


register("ShippingMethod", ShippingMethod, ShippingMethodQuote)
