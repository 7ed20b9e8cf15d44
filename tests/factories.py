"""Plain factory functions over the models (no service rules: tests of services use services)."""
from __future__ import annotations

import itertools

from django.utils import timezone

from storefront.core.text import vn_slugify

_seq = itertools.count(1)


def make_channel(slug: str = "vietnam"):
    from storefront.channel.models import Channel

    channel, _ = Channel.objects.get_or_create(
        slug=slug, defaults={"name": "Việt Nam", "currency_code": "VND", "default_country": "VN"}
    )
    return channel


def make_user(email: str, password: str = "Matkhau!2026", **flags):
    from storefront.account.models import User

    return User.objects.create_user(email, password, **flags)


def make_cooperative(name: str, province_code: str = "92", status: str = "approved", **fields):
    from storefront.cooperative.models import Cooperative
    from storefront.core.models import Commune
    from storefront.warehouse.models import Warehouse

    commune = Commune.objects.filter(province_id=province_code).order_by("code").first()
    slug = f"{vn_slugify(name)}-{next(_seq)}"
    coop = Cooperative.objects.create(
        name=name,
        slug=slug,
        province_id=province_code,
        commune=commune,
        street="Ấp 1",
        representative_name="Trần Văn Lộc",
        phone="+84918427315",
        email=f"{slug}@example.com",
        status=status,
        approved_at=timezone.now() if status == "approved" else None,
        **fields,
    )
    Warehouse.objects.create(cooperative=coop, name=f"Kho {name}", slug=f"kho-{slug}", province_id=province_code,
                             commune=commune)
    return coop


def make_coop_staff(coop, email: str, role: str = "staff"):
    from storefront.cooperative.models import CooperativeMember

    user = make_user(email)
    CooperativeMember.objects.create(cooperative=coop, user=user, role=role)
    return user


def _default_type(kind: str = "normal"):
    from storefront.product.models import ProductType

    slug = "combo" if kind == "combo" else "nong-san"
    product_type, _ = ProductType.objects.get_or_create(
        slug=slug, defaults={"name": "Combo" if kind == "combo" else "Nông sản", "kind": kind, "has_variants": False}
    )
    return product_type


def _default_category():
    from storefront.product.models import Category

    category, _ = Category.objects.get_or_create(slug="gao", defaults={"name": "Gạo", "name_en": "Rice",
                                                                         "program_group": "gao"})
    return category


def make_product(coop, channel, name: str, price: int, stock: int = 10, published: bool = True,
                 category=None, weight_g: int = 1000, **fields):
    from storefront.core.text import fold
    from storefront.product.models import (Product, ProductChannelListing, ProductVariant,
                                           ProductVariantChannelListing)
    from storefront.warehouse.models import Stock

    n = next(_seq)
    product = Product.objects.create(
        cooperative=coop,
        product_type=_default_type(),
        category=category or _default_category(),
        name=name,
        slug=f"{vn_slugify(name)}-{n}",
        weight_g=weight_g,
        search_text=fold(f"{name} {coop.name}"),
        **fields,
    )
    ProductChannelListing.objects.create(product=product, channel=channel, is_published=published,
                                         published_at=timezone.now() if published else None,
                                         discounted_price_amount=price)
    variant = ProductVariant.objects.create(product=product, sku=f"SKU-{n}", weight_g=weight_g)
    ProductVariantChannelListing.objects.create(variant=variant, channel=channel, price_amount=price)
    Stock.objects.create(warehouse=coop.warehouses.first(), product_variant=variant, quantity=stock)
    return product


def make_combo(channel, name: str, price: int, components, coop=None):
    """A combo product owned by the first component's cooperative (or `coop`)."""
    from storefront.core.text import fold
    from storefront.product.models import (ComboComponent, Product, ProductChannelListing, ProductVariant,
                                           ProductVariantChannelListing)

    n = next(_seq)
    owner = coop or components[0][0].product.cooperative
    product = Product.objects.create(
        cooperative=owner, product_type=_default_type("combo"), category=_default_category(), name=name,
        slug=f"{vn_slugify(name)}-{n}", search_text=fold(name),
        weight_g=sum((v.weight_g or 0) * q for v, q in components),
    )
    ProductChannelListing.objects.create(product=product, channel=channel, is_published=True,
                                         published_at=timezone.now(), discounted_price_amount=price)
    variant = ProductVariant.objects.create(product=product, sku=f"COMBO-{n}", track_inventory=False)
    ProductVariantChannelListing.objects.create(variant=variant, channel=channel, price_amount=price)
    for component, quantity in components:
        ComboComponent.objects.create(combo=variant, component=component, quantity=quantity)
    return product


def make_shipping(channel):
    from storefront.shipping.models import ShippingMethod, ShippingZone

    zone = ShippingZone.objects.create(name="Toàn quốc", region="")
    zone.channels.add(channel)
    from storefront.core.models import Province

    zone.provinces.set(Province.objects.all())
    return ShippingMethod.objects.create(zone=zone, name="Giao tiêu chuẩn", price_amount=30_000,
                                         free_above_amount=500_000, max_weight_g=30_000,
                                         minimum_delivery_days=2, maximum_delivery_days=4)
