from __future__ import annotations

from storefront.product import services as product_services

from ...core.mutations import saleor_mutation
from ..inputs import product_by_id, require_staff


@saleor_mutation("productDelete")
def product_delete(root, info, id=None, external_reference=None):
    user = require_staff(info)
    product = product_by_id(id, user=user)
    pk = product.pk
    product_services.product_delete(actor=user, product=product)
    product.pk = pk  # keep the deleted product's id in the answer, as Saleor does
    return {"product": product}
