"""Helpers of the catalog_sync tests: images, a ready export profile, the remote catalog."""
from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image


def jpeg_bytes(width: int = 800, height: int = 600, color=(200, 170, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


def add_image(product, width: int = 800, height: int = 600, color=(200, 170, 40)):
    import hashlib

    from storefront.product.models import ProductMedia

    data = jpeg_bytes(width, height, color)
    media = ProductMedia(product=product, width=width, height=height, content_hash=hashlib.sha256(data).hexdigest())
    media.image.save(f"p{product.pk}.jpg", ContentFile(data), save=False)
    media.save()
    return media


READY = {
    "title_en": "Vietnam ST25 Fragrant Rice 5 kg Bag",
    "description_en": "Award-winning ST25 rice from the Mekong Delta.\n\nNew crop, machine sorted.",
    "keywords": ["st25 rice", "vietnam rice", "fragrant rice"],
    "remote_category": 100000001,
    "hs_code": "100630",
    "place_of_origin": "Vietnam",
    "moq": 100,
    "moq_unit": "Bag",
    "supply_quantity": 5000,
    "supply_unit": "Bag",
    "supply_period": "Month",
    "packaging": "5 kg PP bags, 4 bags per carton",
    "port": "Ho Chi Minh City",
    "lead_time_days": 15,
    "payment_methods": ["T/T", "L/C"],
    "certifications": ["VietGAP"],
    "tiers": [{"min_quantity": 100, "price_usd": "7.80"}, {"min_quantity": 500, "price_usd": "7.41"}],
    "selected": True,
}


def make_export(product, actor, **overrides):
    """A selected, publishable export profile for `product` (adds a 800x600 image when it has none)."""
    from catalog_sync.services import export_profile_get_or_create, export_profile_update
    from catalog_sync.source import shop_source

    if not product.media.exists():
        add_image(product)
    source = shop_source()
    profile = export_profile_get_or_create(actor=actor, source=source, product_id=product.pk)
    return export_profile_update(actor=actor, source=source, profile=profile, data={**READY, **overrides})


def remote_products(catalog) -> list:
    return list(catalog.client.iter_products())
