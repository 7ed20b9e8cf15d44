from __future__ import annotations

from storefront.product import services as product_services

from ...core.mutations import saleor_mutation
from ..inputs import product_by_id, product_data, require_staff


@saleor_mutation("productUpdate")
def product_update(root, info, input, id=None, external_reference=None):
    user = require_staff(info)
    product = product_by_id(id, user=user)
    return {"product": product_services.product_update(actor=user, product=product, data=product_data(input))}
