"""Upload a product image (GraphQL multipart request: the file arrives as `input.image`)."""
from __future__ import annotations

from django.core.exceptions import ValidationError

from storefront.product import services as product_services
from storefront.product.error_codes import ProductErrorCode

from ...core.mutations import saleor_mutation
from ..inputs import product_by_id, require_staff


@saleor_mutation("productMediaCreate")
def product_media_create(root, info, input):
    user = require_staff(info)
    product = product_by_id(input.get("product"), field="product", user=user)
    image = input.get("image")
    if input.get("media_url") and image is None:
        raise ValidationError({"mediaUrl": ValidationError(
            "Only uploaded images are supported.", code=ProductErrorCode.UNSUPPORTED_MEDIA_PROVIDER.value)})
    if image is None or not hasattr(image, "read"):
        raise ValidationError({"image": ValidationError("An image file is required.",
                                                        code=ProductErrorCode.REQUIRED.value)})
    media = product_services.product_media_create(actor=user, product=product, uploaded_file=image,
                                                  alt=input.get("alt") or "")
    return {"product": product, "media": media}
