"""Shared by the benchmarks: Django set-up and a large catalog seeded fast (bulk_create).

`seed_bench_catalog(n_products=10_000)` is idempotent: it tops the bench catalog up to
`n_products` products (slugs `bench-…`) and never touches other data, so the demo catalog and
several benchmarks can share one database.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field


def django_setup(**env) -> None:
    """Configure Django for a benchmark process (call before importing models)."""
    for key, value in env.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings")
    import django

    django.setup()


def ensure_postgres_database() -> None:
    """Create the database DATABASE_URL names if the server lacks it (a fresh CI machine)."""
    from django.db import connection
    from django.db.utils import OperationalError

    if connection.vendor != "postgresql":
        return
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
        import psycopg
        from psycopg import sql

        s = connection.settings_dict
        with psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"],
                             password=s["PASSWORD"] or None, dbname="postgres", autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(s["NAME"])))


BENCH_COOPERATIVES = 20
BENCH_STOCK_PER_VARIANT = 100_000
_PROVINCES = ["92", "68", "01", "79", "48", "66", "91", "31", "46", "56"]
_WORDS = ["Gạo ST25", "Cà phê Robusta", "Mật ong rừng", "Trà Shan tuyết", "Bưởi da xanh", "Xoài cát Hòa Lộc",
          "Tôm khô Cà Mau", "Nước mắm Phú Quốc", "Hạt điều rang muối", "Tiêu đen", "Khoai lang tím", "Nấm linh chi"]


@dataclass
class BenchCatalog:
    channel_id: int
    cooperative_ids: list[int]
    variant_ids: list[int]
    created_products: int
    seconds: float
    extra: dict = field(default_factory=dict)


def _cooperatives():
    from django.utils import timezone

    from storefront.cooperative.models import Cooperative
    from storefront.core.models import Commune
    from storefront.warehouse.models import Warehouse

    coops = []
    for i in range(BENCH_COOPERATIVES):
        province = _PROVINCES[i % len(_PROVINCES)]
        commune = Commune.objects.filter(province_id=province).order_by("code").first()
        coop, _ = Cooperative.objects.get_or_create(slug=f"bench-htx-{i:02d}", defaults=dict(
            name=f"HTX Bench {i:02d}", province_id=province, commune=commune, street="Ấp 1",
            representative_name="Nguyễn Văn Bench", phone="+84918427315", email=f"bench{i:02d}@example.com",
            status=Cooperative.Status.APPROVED, approved_at=timezone.now()))
        Warehouse.objects.get_or_create(slug=f"kho-bench-{i:02d}", defaults=dict(
            cooperative=coop, name=f"Kho Bench {i:02d}", province_id=province, commune=commune))
        coops.append(coop)
    return coops


def seed_bench_catalog(n_products: int = 10_000, *, verbosity: int = 1) -> BenchCatalog:
    """`verbosity` 0 keeps it silent; otherwise a progress bar shows on a terminal."""
    from django.db import transaction
    from django.utils import timezone

    from storefront.channel.models import Channel
    from storefront.core.progress import progress_bar
    from storefront.product.models import Category, Product, ProductType, ProductVariant
    from storefront.shipping.services import shipping_defaults_ensure
    from storefront.warehouse.models import Warehouse

    started = time.perf_counter()
    with transaction.atomic():
        channel, _ = Channel.objects.get_or_create(slug="vietnam", defaults={"name": "Việt Nam"})
        shipping_defaults_ensure(channel=channel)
        product_type, _ = ProductType.objects.get_or_create(slug="bench-nong-san", defaults={
            "name": "Nông sản (bench)", "has_variants": False})
        category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench", "name_en": "Bench"})
        coops = _cooperatives()
        warehouses = {w.cooperative_id: w.pk for w in Warehouse.objects.filter(slug__startswith="kho-bench-")}
        existing = set(Product.objects.filter(slug__startswith="bench-p-").values_list("slug", flat=True))
        now = timezone.now()
        todo = [i for i in range(n_products) if f"bench-p-{i:05d}" not in existing]
        created = 0
        with progress_bar("bench catalog", total=len(todo), verbosity=verbosity) as advance:
            for start in range(0, len(todo), 2000):
                created += _seed_chunk(todo[start:start + 2000], coops=coops, channel=channel, category=category,
                                       product_type=product_type, warehouses=warehouses, now=now)
                advance(min(2000, len(todo) - start))
    if created:
        from storefront.product.catalog_cache import bump_catalog_version

        bump_catalog_version()  # bulk_create sends no signal; a shared cache may hold an older catalog
    variant_ids = list(ProductVariant.objects.filter(product__slug__startswith="bench-p-").order_by("pk")
                       .values_list("pk", flat=True)[:n_products])
    return BenchCatalog(channel_id=channel.pk, cooperative_ids=[c.pk for c in coops], variant_ids=variant_ids,
                        created_products=created, seconds=time.perf_counter() - started)


def _seed_chunk(chunk, *, coops, channel, category, product_type, warehouses, now) -> int:
    from storefront.core.text import fold
    from storefront.product.models import Product, ProductChannelListing, ProductVariant, ProductVariantChannelListing
    from storefront.warehouse.models import Stock

    products = []
    for i in chunk:
        coop = coops[i % len(coops)]
        name = f"{_WORDS[i % len(_WORDS)]} {coop.name} #{i}"
        products.append(Product(
            cooperative=coop, product_type=product_type, category=category, name=name,
            slug=f"bench-p-{i:05d}", weight_g=500 + (i % 4) * 500, search_text=fold(name),
            description="Sản phẩm sinh ra cho đo hiệu năng.", created_at=now))
    products = Product.objects.bulk_create(products)
    price = {p.pk: 20_000 + (int(p.slug[-5:]) % 50) * 5_000 for p in products}
    ProductChannelListing.objects.bulk_create(
        ProductChannelListing(product=p, channel=channel, is_published=True, published_at=now,
                              discounted_price_amount=price[p.pk]) for p in products)
    variants = ProductVariant.objects.bulk_create(
        ProductVariant(product=p, sku=f"BENCH-{p.slug[-5:]}", weight_g=p.weight_g) for p in products)
    ProductVariantChannelListing.objects.bulk_create(
        ProductVariantChannelListing(variant=v, channel=channel, price_amount=price[v.product_id])
        for v in variants)
    Stock.objects.bulk_create(
        Stock(warehouse_id=warehouses[v.product.cooperative_id], product_variant=v,
              quantity=BENCH_STOCK_PER_VARIANT) for v in variants)
    return len(products)


def seed_bench_lots(*, variant_ids, per_variant: int) -> int:
    """Spread the units each bench variant holds outside lots over `per_variant` dated harvest lots
    (best before in 3 … 3 + per_variant days), as a cooperative recording every harvest would.
    Stock rows keep their totals (the units were counted already); a row seeded before is left.
    Returns the lots created."""
    from datetime import timedelta

    from django.db import transaction
    from django.db.models import Sum

    from storefront.warehouse.lots import sales_date
    from storefront.warehouse.models import Stock, StockLot

    today = sales_date()
    created = 0
    with transaction.atomic():
        stocks = list(Stock.objects.filter(product_variant_id__in=variant_ids).select_related("warehouse")
                      .order_by("pk"))
        lotted = dict(StockLot.objects.filter(stock__in=stocks).values("stock_id").annotate(n=Sum("quantity"))
                      .values_list("stock_id", "n"))
        for start in range(0, len(stocks), 500):
            lots = []
            for stock in stocks[start:start + 500]:
                free = stock.quantity - (lotted.get(stock.pk) or 0)
                if free < per_variant or stock.quantity_allocated:
                    continue
                share, extra = divmod(free, per_variant)
                for i in range(per_variant):
                    units = share + (1 if i < extra else 0)
                    best_before = today + timedelta(days=3 + i)
                    lots.append(StockLot(stock=stock, cooperative_id=stock.warehouse.cooperative_id,
                                         code=f"B{stock.pk}-{i}", harvest_date=today, best_before=best_before,
                                         sellable_until=best_before, quantity_received=units, quantity=units))
            StockLot.objects.bulk_create(lots)
            created += len(lots)
        # The rows' earliest last day of sale, as the lot services keep it.
        from storefront.warehouse.lots import stocks_refresh_sellable_until

        stocks_refresh_sellable_until(stock_ids=[s.pk for s in stocks])
    return created
