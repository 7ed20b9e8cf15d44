"""The B2B platform as the sync uses it: the protocol client plus call counting.

Counting writes separately from reads is how we prove that a sync with nothing to do writes nothing.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

from integrations.alibaba import (AlibabaClient, AlibabaSettings, DeliverPeriod, PriceTier, ProductAttribute,
                                  ProductDraft, SourcingTrade)

from .conf import setting

@dataclass
class CallCounts:
    reads: int = 0
    writes: int = 0


def client_settings(**overrides) -> AlibabaSettings:
    values = {
        "gateway_url": settings.ALIBABA_GATEWAY_URL,
        "app_key": settings.ALIBABA_APP_KEY,
        "app_secret": settings.ALIBABA_APP_SECRET,
        "session_key": settings.ALIBABA_SESSION_KEY,
    }
    qps = setting("MAX_QPS", None)
    if qps is not None:
        values["max_calls_per_second"] = float(qps) or None
    for name, kind in (("read_timeout", float), ("max_attempts", int), ("backoff_initial", float),
                       ("backoff_max", float)):
        value = setting(name.upper(), None)
        if value is not None:
            values[name] = kind(value)
    values.update(overrides)
    return AlibabaSettings(**values)


class B2BCatalog:
    """Thread-safe: the sync calls it from a pool of worker threads."""

    def __init__(self, client: AlibabaClient | None = None):
        if client is None:
            http = requests.Session()  # one keep-alive connection per sync worker thread
            size = int(setting("WORKERS", 8)) + 2
            http.mount("http://", HTTPAdapter(pool_connections=2, pool_maxsize=size))
            http.mount("https://", HTTPAdapter(pool_connections=2, pool_maxsize=size))
            client = AlibabaClient(client_settings(), session=http)
        self.client = client
        self.counts = CallCounts()
        self._lock = threading.Lock()

    @property
    def read_timeout(self) -> float:
        return self.client.settings.read_timeout

    @property
    def supports_inquiries(self) -> bool:
        return self.client.settings.is_sandbox

    def _count(self, kind: str, n: int = 1) -> None:
        with self._lock:
            if kind == "write":
                self.counts.writes += n
            else:
                self.counts.reads += n

    def close(self) -> None:
        self.client.close()

    # -- writes --------------------------------------------------------------------------------------
    def upload_image(self, data: bytes, file_name: str):
        self._count("write")
        return self.client.upload_image(data, file_name)

    def upload_certificate(self, data: bytes, file_name: str):
        self._count("write")
        return self.client.upload_file(data, file_name)

    def add(self, listing: dict) -> str:
        self._count("write")
        return self.client.add_product(draft_from_listing(listing))

    def update(self, remote_id: str, listing: dict) -> str:
        self._count("write")
        return self.client.update_product(remote_id, draft_from_listing(listing))

    def set_display(self, remote_ids: list[str], online: bool):
        self._count("write", max(1, -(-len(remote_ids) // 50)))
        return self.client.set_display(remote_ids, online)

    def update_inquiry(self, inquiry_id: int, *, status: str, reply: str | None = None):
        self._count("write")
        return self.client.update_inquiry(inquiry_id, status=status, reply=reply)

    # -- reads ---------------------------------------------------------------------------------------
    def get(self, remote_id: str):
        self._count("read")
        return self.client.get_product(remote_id)

    def iter_products(self, *, modified_from: datetime | None = None):
        page = 1
        while True:
            self._count("read")
            current = self.client.list_products(page=page, modified_from=modified_from)
            yield from current.items
            if not current.has_next or not current.items:
                return
            page += 1

    def iter_inquiries(self, *, created_from: datetime | None = None):
        page = 1
        while True:
            self._count("read")
            current = self.client.list_inquiries(page=page, created_from=created_from)
            yield from current.items
            if not current.has_next or not current.items:
                return
            page += 1

    def get_inquiry(self, inquiry_id: int):
        self._count("read")
        return self.client.get_inquiry(inquiry_id)

    def category_leaves(self):
        """[(category, path, attributes)] of every leaf (one call per node and per leaf)."""
        out = []

        def walk(node, trail):
            self._count("read")
            path = trail + [node.category.name]
            if node.category.leaf:
                self._count("read")
                out.append((node.category, " > ".join(path), self.client.get_category_attributes(
                    node.category.category_id)))
            for child in node.children:
                walk(child, path)

        for root in self.client.get_category_tree(0):
            walk(root, [])
        return out


def draft_from_listing(listing: dict) -> ProductDraft:
    st = listing.get("sourcing_trade") or {}
    trade = SourcingTrade(
        min_order_quantity=int(st.get("min_order_quantity") or 0),
        min_order_unit_type=st.get("min_order_unit_type", ""),
        fob_min_price=Decimal(st["fob_min_price"]) if st.get("fob_min_price") else None,
        fob_max_price=Decimal(st["fob_max_price"]) if st.get("fob_max_price") else None,
        fob_unit_type=st.get("fob_unit_type"),
        supply_quantity=int(st["supply_quantity"]) if st.get("supply_quantity") else None,
        supply_unit_type=st.get("supply_unit_type"),
        supply_period_type=st.get("supply_period_type"),
        payment_methods=tuple(st.get("payment_methods") or ()),
        delivery_port=st.get("delivery_port"),
        packaging_desc=st.get("packaging_desc"),
        deliver_periods=tuple(DeliverPeriod(int(p["quantity"]), int(p["process_period"]))
                              for p in st.get("deliver_periods") or ()),
    )
    return ProductDraft(
        category_id=int(listing["category_id"]),
        subject=listing["subject"],
        keywords=tuple(listing["keywords"]),
        images=tuple(listing["main_image"]["images"]),
        sourcing_trade=trade,
        price_tiers=tuple(PriceTier(int(t["start_quantity"]), Decimal(t["price"]))
                          for t in listing.get("bulk_discount_prices") or ()),
        attributes=tuple(ProductAttribute(attribute_name=a["attribute_name"], value_name=a["value_name"])
                         for a in listing.get("attributes") or ()),
        description=listing.get("description") or None,
        product_type=listing.get("product_type", "sourcing"),
    )
