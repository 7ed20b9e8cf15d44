"""Helpers shared by the Alibaba tests (imported by name: this directory is on sys.path under pytest)."""

from __future__ import annotations

import io
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:  # the editable install predates the integrations package
    sys.path.insert(0, str(ROOT))

from integrations.alibaba import (AlibabaSettings, DeliverPeriod, PriceTier, ProductAttribute,  # noqa: E402
                                  ProductDraft, SourcingTrade)
from integrations.alibaba.sandbox import RunningSandbox  # noqa: E402

SECRET = "vnagri-sandbox-secret"
SESSION = "SANDBOX-SESSION-0001"
ARTIFACTS = ROOT / "test-artifacts" / "alibaba"


def make_settings(sandbox: RunningSandbox, gateway: str = "top", **overrides: Any) -> AlibabaSettings:
    values: dict[str, Any] = dict(
        gateway_url=sandbox.top_gateway if gateway == "top" else sandbox.iop_gateway,
        max_calls_per_second=None, backoff_initial=0.01, backoff_max=0.05, backoff_jitter=0.01,
        max_ban_wait=0.05, read_timeout=10.0, connect_timeout=2.0)
    values.update(overrides)
    return AlibabaSettings(**values)


class Admin:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.headers = {"X-Sandbox-Admin-Token": SECRET}

    def knobs(self, **changes: Any) -> dict[str, Any]:
        response = requests.post(f"{self.base_url}/sandbox/admin/knobs", json=changes, headers=self.headers,
                                 timeout=5)
        assert response.status_code == 200, response.text
        return response.json()

    def review(self, **body: Any) -> dict[str, Any]:
        response = requests.post(f"{self.base_url}/sandbox/admin/review", json=body, headers=self.headers,
                                 timeout=5)
        assert response.status_code == 200, response.text
        return response.json()

    def stats(self) -> dict[str, Any]:
        return requests.get(f"{self.base_url}/sandbox/admin/stats", headers=self.headers, timeout=5).json()

    def calls(self, method: str) -> int:
        return self.stats()["calls"].get(method, 0)


def image_bytes(width: int = 800, height: int = 800, fmt: str = "JPEG", color: str = "#3a7d2c") -> bytes:
    from PIL import Image, ImageDraw

    buf = io.BytesIO()
    im = Image.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(im)
    draw.ellipse((width // 4, height // 4, width * 3 // 4, height * 3 // 4), fill="#f2e6b1")
    im.save(buf, fmt)
    return buf.getvalue()


def unique_ref(prefix: str = "HTX-T") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def rice_draft(image_urls: tuple[str, ...], *, ref: str | None = None, **changes: Any) -> ProductDraft:
    values: dict[str, Any] = dict(
        category_id=100000001,
        subject="Vietnam ST25 Jasmine Rice Long Grain 5% Broken",
        keywords=("jasmine rice", "vietnam rice", "st25 rice"),
        images=image_urls,
        model_number=ref or unique_ref(),
        attributes=(ProductAttribute("Place of Origin", "Vietnam"), ProductAttribute("HS Code", "100630"),
                    ProductAttribute("Certification", "VietGAP, HACCP"), ProductAttribute("Brand Name", "Mekong Green")),
        sourcing_trade=SourcingTrade(
            min_order_quantity=25, min_order_unit_type="Metric Ton", fob_min_price=Decimal("620"),
            fob_max_price=Decimal("680"), fob_unit_type="Metric Ton", supply_quantity=5000,
            supply_unit_type="Metric Ton", supply_period_type="Month", payment_methods=("T/T", "L/C"),
            delivery_port="Ho Chi Minh City", packaging_desc="25 kg PP bags, 1000 bags per 20ft container",
            deliver_periods=(DeliverPeriod(100, 15), DeliverPeriod(500, 30))),
        price_tiers=(PriceTier(25, Decimal("680.00")), PriceTier(100, Decimal("650.00")),
                     PriceTier(500, Decimal("620.00"))),
        description="<p>Fragrant ST25 rice from Soc Trang.</p><p>Milled and packed by the cooperative.</p>",
    )
    values.update(changes)
    return ProductDraft(**values)


