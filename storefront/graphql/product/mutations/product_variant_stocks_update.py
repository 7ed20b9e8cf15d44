from __future__ import annotations

from django.core.exceptions import ValidationError

from storefront.core.permissions import require_cooperative_access
from storefront.product import services as product_services
from storefront.product.models import ProductVariant

from ...core.mutations import saleor_mutation
from ..inputs import require_staff, stocks_data, variant_by_id


@saleor_mutation("productVariantStocksUpdate")
def product_variant_stocks_update(root, info, stocks, variant_id=None, sku=None):
    user = require_staff(info)
    if variant_id:
        variant = variant_by_id(variant_id, field="variantId", user=user)
    else:
        variant = ProductVariant.objects.select_related("product").filter(sku=sku).first() if sku else None
        if variant is None:
            raise ValidationError({"sku": ValidationError("Variant not found.", code="not_found")})
        require_cooperative_access(user, variant.product.cooperative_id)
    product_services.variant_stocks_update(actor=user, variant=variant, stocks=stocks_data(stocks))
    return {"productVariant": variant}
