from __future__ import annotations

from storefront.product import services as product_services

from ...core.mutations import saleor_mutation
from ..inputs import cooperative_for_create, product_data, require_staff


@saleor_mutation("productCreate")
def product_create(root, info, input):
    user = require_staff(info)
    cooperative = cooperative_for_create(info, input.get("cooperative"))
    product = product_services.product_create(actor=user, cooperative=cooperative, data=product_data(input))
    return {"product": product}
