from __future__ import annotations

from django.core.exceptions import ValidationError

from storefront.core.permissions import require_cooperative_access
from storefront.product import services as product_services
from storefront.product.models import ProductVariant

from ...core.mutations import saleor_mutation
from ..inputs import require_staff, variant_by_id, variant_data


@saleor_mutation("productVariantUpdate")
def product_variant_update(root, info, input, id=None, sku=None, external_reference=None):
    user = require_staff(info)
    if id:
        variant = variant_by_id(id, user=user)
    else:
        variant = ProductVariant.objects.select_related("product").filter(sku=sku).first() if sku else None
        if variant is None:
            raise ValidationError({"sku": ValidationError("Variant not found.", code="not_found")})
        require_cooperative_access(user, variant.product.cooperative_id)
    return {"productVariant": product_services.variant_update(actor=user, variant=variant, data=variant_data(input))}
