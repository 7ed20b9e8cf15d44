from __future__ import annotations

from storefront.product import services as product_services

from ...core.mutations import saleor_mutation
from ..inputs import product_by_id, require_staff, stocks_data, variant_data


@saleor_mutation("productVariantCreate")
def product_variant_create(root, info, input):
    user = require_staff(info)
    product = product_by_id(input.get("product"), field="product", user=user)
    data = variant_data(input)
    stocks = stocks_data(input.get("stocks"))
    if stocks:
        data["stocks"] = stocks
    return {"productVariant": product_services.variant_create(actor=user, product=product, data=data)}
