"""The demo shop: the sample catalog (storefront/demo/data/sample_catalog.json) loaded through the
services, so the demo data obeys the same rules as data entered by hand.

Idempotent: every row is looked up by its natural key (slug, SKU, e-mail) and left alone when it
exists, so running it twice changes nothing.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from storefront.account.models import User
from storefront.account.services import account_register, address_book_add
from storefront.channel.models import Channel
from storefront.cooperative.models import Cooperative
from storefront.cooperative.services import cooperative_approve, cooperative_register
from storefront.core.models import Region
from storefront.core.money import format_vnd
from storefront.core.progress import progress_bar
from storefront.discount.selectors import promotions_for_staff, voucher_by_code
from storefront.discount.services import promotion_create, voucher_create
from storefront.menu.models import Menu, MenuItem
from storefront.product.models import Category, Collection, Product, ProductVariant
from storefront.product.services import (collection_add_products, collection_create, combo_create,
                                         product_channel_listing_update, product_create, product_media_create,
                                         variant_create)
from storefront.shipping.models import ShippingMethod, ShippingZone

from .images import product_picture

DATA_FILE = Path(__file__).resolve().parent / "data" / "sample_catalog.json"
DEMO_PASSWORD = "htx-demo-2026"
DEMO_DOMAIN = "htx-market.example.com"
CUSTOMER_EMAIL = f"khach@{DEMO_DOMAIN}"
TRADE_EMAIL = f"trade@{DEMO_DOMAIN}"
PROGRAM_EMAIL = f"program@{DEMO_DOMAIN}"
# The two cooperatives whose staff logins are printed: the rice cooperative and the Lâm Đồng vegetables one.
FEATURED_COOPERATIVES = ("C01", "C02")

# (slug, name, English name, program group, parent slug)
CATEGORIES = [
    ("gao", "Gạo", "Rice", "gao", None),
    ("rau-cu", "Rau củ", "Vegetables and tubers", "rau_cu_qua", None),
    ("rau-an-la", "Rau ăn lá", "Leafy greens", "rau_cu_qua", "rau-cu"),
    ("cu-qua", "Củ và quả", "Roots and fruiting vegetables", "rau_cu_qua", "rau-cu"),
    ("trai-cay", "Trái cây", "Fruit", "trai_cay", None),
    ("thuy-hai-san", "Thủy hải sản", "Fish and seafood", "thuy_san", None),
    ("thuy-san-tuoi", "Tôm cua tươi, đông lạnh", "Fresh and frozen seafood", "thuy_san", "thuy-hai-san"),
    ("thuy-san-kho", "Hải sản khô", "Dried seafood", "thuy_san", "thuy-hai-san"),
    ("nuoc-mam", "Nước mắm", "Fish sauce", "thuy_san", "thuy-hai-san"),
    ("trung", "Trứng", "Eggs", "trung", None),
    ("dau-an", "Dầu ăn", "Cooking oils", "dau_an", None),
    ("tra-thao-duoc", "Trà & thảo dược", "Tea and herbal products", "tra_duoc_lieu", None),
    ("ca-phe", "Cà phê", "Coffee", "ca_phe", None),
    ("tinh-dau", "Tinh dầu", "Essential oils", "tinh_dau", None),
    ("thuc-pham-che-bien", "Thực phẩm chế biến", "Processed food", "khac", None),
    ("khac", "Đặc sản khác", "Other specialities", "khac", None),
    ("combo", "Combo", "Combos", "", None),
]
GROUP_CATEGORY = {
    "gao": "gao", "rau_cu_qua": "cu-qua", "trai_cay": "trai-cay", "thuy_san": "thuy-san-tuoi", "trung": "trung",
    "dau_an": "dau-an", "tra_duoc_lieu": "tra-thao-duoc", "ca_phe": "ca-phe", "tinh_dau": "tinh-dau",
    "khac": "khac",
}
PRODUCT_CATEGORY = {
    "P007": "rau-an-la", "P008": "rau-an-la", "P011": "rau-an-la", "P014": "rau-an-la", "P063": "rau-an-la",
    "P034": "thuy-san-kho", "P036": "thuy-san-kho", "P038": "nuoc-mam", "P039": "nuoc-mam", "P040": "nuoc-mam",
    "P025": "thuc-pham-che-bien", "P043": "thuc-pham-che-bien", "P059": "thuc-pham-che-bien",
    "P060": "thuc-pham-che-bien", "P061": "thuc-pham-che-bien",
}
CERTIFICATION_TYPES = {"ISO22000": "ISO 22000", "ORGANIC": "Organic", "4C": "Other", "MVT": "Other"}
KIND = {"HTX": Cooperative.Kind.HTX, "THT": Cooperative.Kind.THT}

# (zone name, region, [(method, English, min g, max g, price, free above, min days, max days)])
SHIPPING = [
    ("Miền Bắc", Region.NORTH, 3, 5),
    ("Miền Trung", Region.CENTRAL, 3, 5),
    ("Miền Nam", Region.SOUTH, 2, 4),
]
WEIGHT_BANDS = [(0, 3_000, 25_000), (3_001, 10_000, 40_000), (10_001, 30_000, 70_000), (30_001, 60_000, 120_000)]
FREE_SHIPPING_ABOVE = 500_000


@dataclass
class SeedResult:
    created: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)
    password_hash: str = field(default="", repr=False)

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n


def load_sample() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _user(email: str, result: SeedResult, **flags) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        if not result.password_hash:
            # One key derivation for all demo accounts: each costs a noticeable fraction of a second.
            result.password_hash = make_password(DEMO_PASSWORD)
        user = User(email=email, password=result.password_hash, **flags)
        user.save()
        result.count("users")
    return user


def seed_accounts(result: SeedResult) -> dict[str, User]:
    program = _user(PROGRAM_EMAIL, result, first_name="Cán bộ", last_name="Chương trình", is_staff=True,
                    is_superuser=True, is_program_staff=True)
    trade = _user(TRADE_EMAIL, result, first_name="Xúc tiến", last_name="Thương mại", is_trade_staff=True)
    customer = User.objects.filter(email=CUSTOMER_EMAIL).first()
    if customer is None:
        customer = account_register(
            email=CUSTOMER_EMAIL, password=DEMO_PASSWORD, first_name="Lan", last_name="Nguyễn Thị",
            phone="0903123456", consents={"data_processing": True, "share_with_sellers": True, "marketing": False},
        )
        address_book_add(actor=customer, address_data={
            "first_name": "Lan", "last_name": "Nguyễn Thị", "street_address_1": "25 Đường Trần Hưng Đạo",
            "city": "Phường Ninh Kiều", "country": "VN", "country_area": "Cần Thơ", "phone": "0903123456",
        })
        result.count("users")
    return {"program": program, "trade": trade, "customer": customer}


def seed_channel() -> Channel:
    channel, _created = Channel.objects.get_or_create(
        slug="vietnam", defaults={"name": "Việt Nam", "currency_code": "VND", "default_country": "VN"}
    )
    return channel


def seed_categories(result: SeedResult) -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for order, (slug, name, name_en, group, parent) in enumerate(CATEGORIES):
        category, created = Category.objects.get_or_create(slug=slug, defaults={
            "name": name, "name_en": name_en, "program_group": group, "sort_order": order,
            "parent": categories.get(parent),
        })
        categories[slug] = category
        result.count("categories", int(created))
    return categories


def _certifications(raw: list[dict]) -> list[dict]:
    rows = []
    for item in raw:
        cert_type = CERTIFICATION_TYPES.get(item["type"], item["type"])
        scope = item.get("scope") or item.get("product") or item.get("standard") or ""
        if cert_type == "Other":
            scope = f"{item['type']}: {scope}".strip(": ")
        rows.append({
            "type": cert_type, "stars": item.get("stars"), "scope": scope,
            "valid_until": date.fromisoformat(item["valid_until"]) if item.get("valid_until") else None,
        })
    return rows


def seed_cooperatives(data: dict, *, program: User, result: SeedResult) -> dict[str, tuple[Cooperative, User]]:
    """Each cooperative registered by its own owner account and approved by program staff."""
    cooperatives = {}
    for row in data["cooperatives"]:
        owner_email = f"{row['email'].split('@')[0]}@{DEMO_DOMAIN}"
        owner = _user(owner_email, result, first_name=row["representative"]["name"].split()[-1],
                      last_name=" ".join(row["representative"]["name"].split()[:-1]))
        cooperative = Cooperative.objects.filter(slug=row["slug"]).first()
        if cooperative is None:
            address = row["address"]
            cooperative = cooperative_register(actor=owner, data={
                "slug": row["slug"], "kind": KIND[row["type"]], "name": row["name"],
                "province": address["province_code"], "commune": address["commune"],
                "street": address["street_or_hamlet"], "representative_name": row["representative"]["name"],
                "representative_title": row["representative"].get("title", ""), "phone": row["phone"],
                "email": row["email"], "founded_year": row.get("founded_year"), "members_count": row.get("members"),
                "farm_area_ha": row.get("farm_area_ha"),
                "description": _cooperative_description(row),
                "description_en": _cooperative_description_en(row),
                "certifications": _certifications(row["certifications"]),
            })
            cooperative_approve(actor=program, cooperative=cooperative)
            result.count("cooperatives")
        cooperatives[row["id"]] = (cooperative, owner)
    return cooperatives


def _cooperative_description(row: dict) -> str:
    kind = "Hợp tác xã" if row["type"] == "HTX" else "Tổ hợp tác"
    parts = [f"{kind} tại {row['address']['full']}."]
    if row.get("founded_year"):
        parts.append(f"Thành lập năm {row['founded_year']}")
    if row.get("members"):
        parts.append(f"với {row['members']} thành viên")
    if row.get("farm_area_ha"):
        parts.append(f"canh tác {row['farm_area_ha']:g} ha")
    certs = sorted({c["type"] for c in row["certifications"]})
    text = " ".join(parts[:1]) + (" " + ", ".join(parts[1:]) + "." if len(parts) > 1 else "")
    return text + (f" Chứng nhận: {', '.join(certs)}." if certs else "")


def _cooperative_description_en(row: dict) -> str:
    kind = "Cooperative" if row["type"] == "HTX" else "Cooperative group"
    text = f"{kind} in {row['address']['commune']}, {row['address']['province']}"
    if row.get("founded_year"):
        text += f", founded in {row['founded_year']}"
    if row.get("members"):
        text += f", {row['members']} members"
    return text + "."


def _product_description(row: dict, cooperative: Cooperative) -> str:
    lines = [f"{row['name']} do {cooperative.name} sản xuất tại {cooperative.province.full_name}."]
    lines.append(f"Quy cách: {row['sale_unit']['label_vi']}.")
    unit = row.get("unit_price")
    if unit:
        lines.append(f"Giá quy đổi: {format_vnd(unit['price_vnd'])}/{unit['unit']}.")
    if row["perishable"]:
        lines.append("Hàng tươi: bảo quản mát, dùng trong vài ngày.")
    elif row.get("shelf_life_days"):
        lines.append(f"Hạn dùng {row['shelf_life_days']} ngày kể từ ngày đóng gói.")
    return "\n".join(lines)


def seed_products(data: dict, *, channel: Channel, categories: dict[str, Category],
                  cooperatives: dict[str, tuple[Cooperative, User]], with_images: bool,
                  result: SeedResult, advance=None) -> dict[str, Product]:
    """`advance()` (a progress bar's) is called once per product."""
    products: dict[str, Product] = {}
    for row in data["products"]:
        cooperative, owner = cooperatives[row["cooperative_id"]]
        product = Product.objects.filter(slug=row["slug"]).first()
        if product is None:
            unit = row["sale_unit"]
            export = row.get("export") or {}
            category = categories[PRODUCT_CATEGORY.get(row["id"], GROUP_CATEGORY[row["group"]])]
            product = product_create(actor=owner, cooperative=cooperative, data={
                "name": row["name"], "slug": row["slug"], "category": category,
                "description": _product_description(row, cooperative),
                "name_en": export.get("name_en", ""),
                "standards": row["certifications"], "origin_province": row["origin_province_code"],
                "unit_label": unit["label_vi"], "net_quantity": unit.get("net_quantity"),
                "net_unit": unit.get("net_unit", ""), "weight_g": row["shipping_weight_g"],
                "perishable": row["perishable"], "shelf_life_days": row.get("shelf_life_days"),
            })
            result.count("products")
        if not ProductVariant.objects.filter(sku=row["sku"]).exists():
            variant_create(actor=owner, product=product, data={
                "sku": row["sku"], "weight_g": row["shipping_weight_g"],
                "channel_listings": [{"channel": channel, "price": row["price_vnd"]}],
                "stocks": [(cooperative.warehouses.order_by("pk").first(), row["stock"])],
            })
            product_channel_listing_update(
                actor=owner, product=product, channel=channel, is_published=True,
                is_available_for_purchase=row["status"] == "active",
            )
            result.count("variants")
        if with_images and not product.media.exists():
            product_media_create(actor=owner, product=product, alt=product.name, uploaded_file=product_picture(
                name=product.name, category_slug=product.category.slug if product.category else "",
                caption=product.unit_label,
            ))
            result.count("images")
        products[row["id"]] = product
        if advance is not None:
            advance()
    return products


def seed_combos(data: dict, *, channel: Channel, categories: dict[str, Category], products: dict[str, Product],
                program: User, with_images: bool, result: SeedResult) -> list[Product]:
    combos = []
    for row in data["combos"]:
        combo = Product.objects.filter(slug=row["slug"]).first()
        if combo is None:
            components = [(products[c["product_id"]].variants.order_by("pk").first(), c["quantity"])
                          for c in row["components"]]
            owner = components[0][0].product.cooperative
            combo = combo_create(actor=program, cooperative=owner, data={
                "name": row["name"], "slug": row["slug"], "sku": f"COMBO-{row['id']}",
                "category": categories["combo"], "description": row["description"],
                "weight_g": row["shipping_weight_g"], "perishable": row["perishable"],
                "channel_listings": [{"channel": channel, "price": row["price_vnd"],
                                      "compare_at_price": row["components_value_vnd"], "is_published": True}],
            }, components=components)
            result.count("combos")
        if with_images and not combo.media.exists():
            product_media_create(actor=program, product=combo, alt=combo.name, uploaded_file=product_picture(
                name=combo.name, category_slug="combo", caption="Combo"))
            result.count("images")
        combos.append(combo)
    return combos


def seed_collections(*, channel: Channel, combos: list[Product], program: User, result: SeedResult
                     ) -> dict[str, Collection]:
    ocop = list(Product.objects.filter(ocop_stars__isnull=False).order_by("-ocop_stars", "name"))
    gap = list(Product.objects.filter(attributes__attribute__slug="standard",
                                      attributes__slug__in=["vietgap", "globalgap"]).distinct().order_by("name"))
    specs = [
        ("combo-cua-tuan", "Combo của tuần", "Combos of the week", True, combos),
        ("san-pham-ocop", "Sản phẩm OCOP 3–5 sao", "OCOP-rated products (3–5 stars)", True, ocop),
        ("chuan-vietgap-globalgap", "Chuẩn VietGAP & GlobalGAP", "VietGAP & GlobalGAP certified", False, gap),
    ]
    collections = {}
    for order, (slug, name, name_en, featured, members) in enumerate(specs):
        collection = Collection.objects.filter(slug=slug).first()
        if collection is None:
            collection = collection_create(actor=program, data={
                "slug": slug, "name": name, "name_en": name_en, "is_featured": featured, "sort_order": order,
            }, products=members, published_in=[channel])
            result.count("collections")
        elif not collection.collection_products.exists():
            collection_add_products(actor=program, collection=collection, products=members)
        collections[slug] = collection
    return collections


def seed_menus(*, categories: dict[str, Category], collections: dict[str, Collection], result: SeedResult) -> None:
    navbar, created = Menu.objects.get_or_create(slug="navbar", defaults={"name": "Thanh điều hướng"})
    if created:
        for order, (slug, *_rest, parent) in enumerate(c for c in CATEGORIES if c[4] is None):
            MenuItem.objects.create(menu=navbar, name=categories[slug].name, name_en=categories[slug].name_en,
                                    category=categories[slug], sort_order=order)
        result.count("menus")
    footer, created = Menu.objects.get_or_create(slug="footer", defaults={"name": "Chân trang"})
    if created:
        shop = MenuItem.objects.create(menu=footer, name="Mua sắm", name_en="Shop", sort_order=0)
        for order, collection in enumerate(collections.values()):
            MenuItem.objects.create(menu=footer, parent=shop, name=collection.name, name_en=collection.name_en,
                                    collection=collection, sort_order=order)
        groups = MenuItem.objects.create(menu=footer, name="Danh mục", name_en="Categories", sort_order=1)
        for order, slug in enumerate(("gao", "rau-cu", "trai-cay", "thuy-hai-san")):
            MenuItem.objects.create(menu=footer, parent=groups, name=categories[slug].name,
                                    name_en=categories[slug].name_en, category=categories[slug], sort_order=order)
        result.count("menus")


def seed_shipping(*, channel: Channel, result: SeedResult) -> None:
    for zone_name, region, min_days, max_days in SHIPPING:
        zone, created = ShippingZone.objects.get_or_create(
            name=zone_name, region=region, defaults={"description": f"Các tỉnh, thành {zone_name.lower()}"}
        )
        zone.channels.add(channel)
        result.count("shipping_zones", int(created))
        for low, high, price in WEIGHT_BANDS:
            label = f"Giao tiêu chuẩn ({low // 1000}–{high // 1000} kg)" if low else f"Giao tiêu chuẩn (đến {high // 1000} kg)"
            _method, created = ShippingMethod.objects.get_or_create(
                zone=zone, type=ShippingMethod.Type.WEIGHT, min_weight_g=low, max_weight_g=high, name=label,
                defaults={"name_en": f"Standard delivery ({low / 1000:g}–{high / 1000:g} kg)",
                          "price_amount": price, "free_above_amount": FREE_SHIPPING_ABOVE,
                          "minimum_delivery_days": min_days, "maximum_delivery_days": max_days},
            )
            result.count("shipping_methods", int(created))
        _method, created = ShippingMethod.objects.get_or_create(
            zone=zone, type=ShippingMethod.Type.WEIGHT, min_weight_g=0, max_weight_g=10_000, name="Giao nhanh",
            defaults={"name_en": "Express delivery", "price_amount": 60_000, "free_above_amount": None,
                      "minimum_delivery_days": 1, "maximum_delivery_days": 2},
        )
        result.count("shipping_methods", int(created))


DEMO_VOUCHER = "CHAOHTX"


def seed_discounts(*, cooperatives: dict, program: User, result: SeedResult) -> None:
    """A program voucher (10 % off from 200.000 ₫, once per customer, paid by the program) and a
    featured cooperative's promotion (10 % off its products this week, paid by it)."""
    now = timezone.now()
    if not voucher_by_code(DEMO_VOUCHER):
        voucher_create(actor=program, code=DEMO_VOUCHER, name="Chào HTX Market: giảm 10 %", discount_value=10,
                       min_spent_amount=200_000, usage_limit=1_000, usage_limit_per_customer=1,
                       start_date=now, end_date=now + timedelta(days=90), funded_by="program")
        result.count("vouchers")
    cooperative, owner = cooperatives[FEATURED_COOPERATIVES[0]]
    name = f"Tuần lễ {cooperative.name}: giảm 10 %"
    if not promotions_for_staff(actor=owner).filter(name=name).exists():
        promotion_create(actor=owner, name=name, discount_value=10, cooperative=cooperative,
                         start_date=now, end_date=now + timedelta(days=7))
        result.count("promotions")


def seed_demo(*, with_images: bool = True, stdout=None, verbosity: int = 1) -> SeedResult:
    """Load the demo shop; returns what was created (nothing on a second run) and the demo logins.
    A progress bar shows on a terminal unless `verbosity` is 0."""
    started = timezone.now()
    data = load_sample()
    result = SeedResult()
    stages = 7  # every stage but the products, which advance one by one
    with (progress_bar("Demo data", total=len(data["products"]) + stages, verbosity=verbosity) as advance,
          transaction.atomic()):
        channel = seed_channel()
        accounts = seed_accounts(result)
        categories = seed_categories(result)
        advance(3, description="Demo data: cooperatives")
        cooperatives = seed_cooperatives(data, program=accounts["program"], result=result)
        advance(description="Demo data: products")
        products = seed_products(data, channel=channel, categories=categories, cooperatives=cooperatives,
                                 with_images=with_images, result=result, advance=advance)
        advance(0, description="Demo data: combos")
        combos = seed_combos(data, channel=channel, categories=categories, products=products,
                             program=accounts["program"], with_images=with_images, result=result)
        advance(description="Demo data: collections, menus, shipping")
        collections = seed_collections(channel=channel, combos=combos, program=accounts["program"], result=result)
        seed_menus(categories=categories, collections=collections, result=result)
        seed_shipping(channel=channel, result=result)
        seed_discounts(cooperatives=cooperatives, program=accounts["program"], result=result)
        advance(2)
    result.logins = [
        ("customer", CUSTOMER_EMAIL),
        *[(f"staff of {cooperatives[key][0].name}", cooperatives[key][1].email) for key in FEATURED_COOPERATIVES],
        ("trade staff", TRADE_EMAIL),
        ("program staff (admin)", PROGRAM_EMAIL),
    ]
    if stdout is not None:
        _print(result, stdout, seconds=(timezone.now() - started).total_seconds())
    return result


def _print(result: SeedResult, stdout, *, seconds: float) -> None:
    write = stdout.write if stdout is not sys.stdout else sys.stdout.write
    summary = ", ".join(f"{n} {what}" for what, n in sorted(result.created.items()) if n)
    if summary:
        write(f"Demo data created in {seconds:.1f} s: {summary}\n")
    else:
        write("Demo data already present: nothing changed.\n")
    write(f"Demo logins (password {DEMO_PASSWORD}):\n")
    for role, email in result.logins:
        write(f"  {role:<48} {email}\n")
