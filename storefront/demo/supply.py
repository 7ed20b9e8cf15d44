"""Demo data of the supply program: the sample sheets' needs and weekly results, and one distributor.

`seed_supply_demo()` runs after the catalog's demo seed (it looks the sample cooperatives and
products up by slug, then by name) and can run again without adding rows.
"""
from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

from storefront.cooperative.models import Cooperative
from storefront.product.models import Product
from storefront.supply import services
from storefront.supply.models import Distributor, DistributorPurchase

from .seed import DATA_FILE as SAMPLE

# The sample sheets name channels by the program's keys; ours are shorter.
SAMPLE_CHANNELS = {
    "cho_truyen_thong_dau_moi_showroom": "market",
    "sieu_thi_nha_phan_phoi": "distributor",
    "doanh_nghiep_che_bien": "processor",
    "doanh_nghiep_xuat_khau": "exporter",
}
PLANNED_FIELDS = {
    "cho_truyen_thong_dau_moi_showroom": "planned_market",
    "sieu_thi_nha_phan_phoi": "planned_distributor",
    "doanh_nghiep_che_bien": "planned_processor",
    "doanh_nghiep_xuat_khau": "planned_exporter",
}
DEMO_DISTRIBUTOR = {
    "slug": "lien-hiep-htx-thuong-mai-tp-hcm-demo",
    "name": "Liên hiệp HTX Thương mại TP. Hồ Chí Minh (dữ liệu mẫu)",
    "address": "Phường Sài Gòn, TP. Hồ Chí Minh",
    "representative_name": "Phạm Thị Mai",
    "representative_title": "Tổng Giám đốc",
}


def _load() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def _cooperatives(sample: dict) -> dict:
    found = {}
    for item in sample["cooperatives"]:
        coop = (Cooperative.objects.filter(slug=item["slug"]).first()
                or Cooperative.objects.filter(name=item["name"]).order_by("pk").first())
        if coop is not None:
            found[item["id"]] = coop
    return found


def _product(item: dict | None, cooperative):
    if item is None or cooperative is None:
        return None
    return (Product.objects.filter(cooperative=cooperative, slug=item["slug"]).first()
            or Product.objects.filter(cooperative=cooperative, name=item["name"]).order_by("pk").first())


def seed_supply_demo() -> dict[str, int]:
    sample = _load()
    cooperatives = _cooperatives(sample)
    products = {item["id"]: item for item in sample["products"]}
    counts = {"needs": 0, "records": 0, "purchases": 0}

    for row in sample["sales_support_requests"]:
        coop = cooperatives.get(row["cooperative_id"])
        if coop is None:
            continue
        product_item = products.get(row["product_id"])
        data = {
            "need_date": row["date"], "product_name": row["product"],
            "product_group": product_item["group"] if product_item else "khac",
            "product": _product(product_item, coop),
            "farm_area_ha": row["farm_area_ha"], "unit": row["unit"], "quantity": row["quantity_to_sell"],
            "standard": row["standard"], "packaging": row["packaging"], "delivery_period": row["delivery_time"],
            "delivery_place": row["delivery_place"], "unit_price_thousand_vnd": row["unit_price_thousand_vnd"],
        }
        for key, field in PLANNED_FIELDS.items():
            data[field] = row["planned_quantity_by_channel"].get(key, 0)
        services.need_import(source_ref=row["id"], cooperative=coop, data=data)
        counts["needs"] += 1

    for report in sample["weekly_sales_reports"]:
        coop = cooperatives.get(report["cooperative_id"])
        product_item = products.get(report["product_id"])
        if coop is None or product_item is None:
            continue
        product = _product(product_item, coop)
        period_end = report["period"].split("/")[1]
        need_name = next((r["product"] for r in sample["sales_support_requests"]
                          if r["product_id"] == report["product_id"]), product_item["name"])
        for index, sold in enumerate(report["sold"], start=1):
            services.sales_record_import(source_ref=f"{report['id']}-{index}", cooperative=coop, data={
                "sold_on": period_end, "product_name": need_name, "product_group": product_item["group"],
                "product": product, "unit": report["unit"], "quantity": Decimal(str(sold["quantity"])),
                "channel": SAMPLE_CHANNELS[sold["channel"]], "buyer_name": sold["buyer"],
            })
            counts["records"] += 1

    distributor, _created = Distributor.objects.get_or_create(slug=DEMO_DISTRIBUTOR["slug"], defaults={
        k: v for k, v in DEMO_DISTRIBUTOR.items() if k != "slug"})
    mango_coop = cooperatives.get("C03")
    if mango_coop is not None:
        DistributorPurchase.objects.update_or_create(source_ref="D2026-47-C03", defaults=dict(
            distributor=distributor, cooperative=mango_coop, purchased_on=datetime.date(2026, 11, 20),
            product_name="Xoài cát chu", product_group="trai_cay", unit="tấn", quantity=Decimal(8),
            sold_hcmc=Decimal(5), sold_hanoi=Decimal(2), sold_other=Decimal(1),
            difficulties="Thiếu kho lạnh trung chuyển", solutions="Hỗ trợ thuê kho lạnh tại chợ đầu mối"))
        counts["purchases"] += 1
    return counts
