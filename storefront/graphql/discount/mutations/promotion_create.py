from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from storefront.discount import services as discount_services

from ...core.mutations import saleor_mutation
from ...product.inputs import require_staff
from ..inputs import lower, one_id, optional_id


def _ids(predicate, key):
    return ((predicate or {}).get(key) or {}).get("ids")


def _min_subtotal(order_predicate):
    objects = (order_predicate or {}).get("discounted_object_predicate") or {}
    subtotal = objects.get("base_subtotal_price") or {}
    gte = (subtotal.get("range") or {}).get("gte")
    return gte if gte is not None else subtotal.get("eq") or 0


@saleor_mutation("promotionCreate")
def promotion_create(root, info, input):
    """Saleor's promotionCreate with one rule: CATALOGUE (off the units its cataloguePredicate names:
    one product or one category, within the acting cooperative's products) or ORDER (off the subtotal
    from orderPredicate's baseSubtotalPrice, or off delivery with the rule's `shippingDiscount`)."""
    user = require_staff(info)
    rules = list(input.get("rules") or [])
    if len(rules) != 1:
        raise ValidationError({"rules": ValidationError(_("Mỗi khuyến mãi có đúng một điều kiện."),
                                                        code="rules_number_limit")})
    rule = rules[0]
    catalogue = rule.get("catalogue_predicate") or {}
    order = rule.get("order_predicate") or {}
    promotion_type = lower(input.get("type"))
    promotion = discount_services.promotion_create(
        actor=user, name=input.get("name"), type=promotion_type,
        reward_type="shipping" if rule.get("shipping_discount") else "subtotal_discount",
        discount_value_type=lower(rule.get("reward_value_type")) or "percentage",
        discount_value=rule.get("reward_value"), min_subtotal_amount=_min_subtotal(order),
        description=_description(input.get("description")),
        start_date=input.get("start_date"), end_date=input.get("end_date"),
        cooperative=optional_id(input.get("cooperative"), expected="Cooperative", field="cooperative"),
        product=one_id(_ids(catalogue, "product_predicate"), expected="Product", field="rules.cataloguePredicate"),
        category=one_id(_ids(catalogue, "category_predicate"), expected="Category",
                        field="rules.cataloguePredicate"),
        funded_by=lower(input.get("funded_by")))
    return {"promotion": promotion}


def _description(value) -> str:
    from ...product.inputs import editorjs_text

    return editorjs_text(value)
