"""Voucher and Promotion (one rule each: ours are smaller than Saleor's), read by their staff."""
from __future__ import annotations

from decimal import Decimal

import graphene

from storefront.discount import models as m
from storefront.discount.models import FundedBy

from ..core.connection import paginate
from ..core.ids import global_id
from ..core.money import money
from ..core.saleor import SaleorObjectType, register

DiscountFundedByEnum = graphene.Enum("DiscountFundedByEnum", [("PROGRAM", "program"), ("COOPERATIVE", "cooperative")])
register("DiscountFundedByEnum", DiscountFundedByEnum)


def _funded_by(root):
    return FundedBy(root.funded_by).value


class _Scoped:
    cooperative = graphene.Field("storefront.graphql.cooperative.types.Cooperative",
                                 description="Extension: the cooperative whose products it is limited to.")
    funded_by = graphene.Field(DiscountFundedByEnum, required=True,
                               description="Extension: who pays the discount, the program or the cooperative.")

    @staticmethod
    def resolve_cooperative(root, info):
        return root.cooperative

    @staticmethod
    def resolve_funded_by(root, info):
        return _funded_by(root)


class Voucher(_Scoped, SaleorObjectType):
    class Meta:
        model = m.Voucher
        fields = {"name": "name", "code": "code", "usageLimit": "usage_limit", "used": "used",
                  "startDate": "start_date", "endDate": "end_date"}
        unsupported = ("collections", "variants", "countries", "translation", "channelListings",
                       "minCheckoutItemsQuantity", "applyOncePerOrder", "singleUse", "onlyForStaff")

    usage_limit_per_customer = graphene.Int(description="Extension: uses allowed to one customer (account or e-mail).")

    @staticmethod
    def resolve_id(root, info):
        return root.pk

    @staticmethod
    def resolve_usage_limit_per_customer(root, info):
        return root.usage_limit_per_customer

    @staticmethod
    def resolve_apply_once_per_customer(root, info):
        return root.usage_limit_per_customer == 1

    @staticmethod
    def resolve_codes(root, info, **page):
        return paginate([{"id": global_id("VoucherCode", root.pk), "code": root.code, "used": root.used,
                          "isActive": True, "createdAt": root.created_at}], name="codes", **page)

    @staticmethod
    def resolve_categories(root, info, **page):
        return paginate([root.category] if root.category_id else [], name="categories", **page)

    @staticmethod
    def resolve_products(root, info, **page):
        return paginate([root.product] if root.product_id else [], name="products", **page)

    @staticmethod
    def resolve_discount_value_type(root, info):
        return root.discount_value_type.upper()

    @staticmethod
    def resolve_discount_value(root, info):
        return float(root.discount_value)

    @staticmethod
    def resolve_currency(root, info):
        return "VND"

    @staticmethod
    def resolve_min_spent(root, info):
        return money(root.min_spent_amount) if root.min_spent_amount else None

    @staticmethod
    def resolve_type(root, info):
        return root.type.upper()


def _catalogue_predicate(promotion) -> dict:
    parts = []
    if promotion.product_id:
        parts.append({"productPredicate": {"ids": [global_id("Product", promotion.product_id)]}})
    if promotion.category_id:
        parts.append({"categoryPredicate": {"ids": [global_id("Category", promotion.category_id)]}})
    if promotion.cooperative_id:
        parts.append({"cooperativePredicate": {"ids": [global_id("Cooperative", promotion.cooperative_id)]}})
    if len(parts) == 1:
        return parts[0]
    return {"AND": parts} if parts else {}


class PromotionRule(SaleorObjectType):
    """A promotion's one rule: the Promotion row itself."""

    class Meta:
        name = "PromotionRule"
        fields = {"name": "name"}
        unsupported = ("description", "channels", "translation", "giftIds", "giftsLimit")

    shipping_discount = graphene.Boolean(required=True,
                                         description="Extension: the reward is taken off delivery (free delivery).")

    @staticmethod
    def resolve_id(root, info):
        return root.pk

    @staticmethod
    def resolve_promotion(root, info):
        return root

    @staticmethod
    def resolve_reward_value(root, info):
        return Decimal(root.discount_value)

    @staticmethod
    def resolve_reward_value_type(root, info):
        return root.discount_value_type.upper()

    @staticmethod
    def resolve_predicate_type(root, info):
        return root.type.upper()

    @staticmethod
    def resolve_catalogue_predicate(root, info):
        return _catalogue_predicate(root) if root.type == m.Promotion.Type.CATALOGUE else {}

    @staticmethod
    def resolve_order_predicate(root, info):
        if root.type != m.Promotion.Type.ORDER:
            return {}
        predicate = {"discountedObjectPredicate": {"baseSubtotalPrice": {"range": {"gte": root.min_subtotal_amount}}}}
        scope = _catalogue_predicate(root)
        return {"AND": [predicate, scope]} if scope else predicate

    @staticmethod
    def resolve_reward_type(root, info):
        if root.type == m.Promotion.Type.ORDER and root.reward_type == m.Promotion.RewardType.SUBTOTAL_DISCOUNT:
            return "SUBTOTAL_DISCOUNT"
        return None

    @staticmethod
    def resolve_shipping_discount(root, info):
        return root.reward_type == m.Promotion.RewardType.SHIPPING


class Promotion(_Scoped, SaleorObjectType):
    class Meta:
        model = m.Promotion
        fields = {"name": "name", "startDate": "start_date", "endDate": "end_date", "createdAt": "created_at",
                  "updatedAt": "updated_at"}
        unsupported = ("translation", "events")

    @staticmethod
    def resolve_id(root, info):
        return root.pk

    @staticmethod
    def resolve_type(root, info):
        return root.type.upper()

    @staticmethod
    def resolve_description(root, info):
        return {"blocks": [{"type": "paragraph", "data": {"text": root.description}}]} if root.description else None

    @staticmethod
    def resolve_rules(root, info):
        return [root]
