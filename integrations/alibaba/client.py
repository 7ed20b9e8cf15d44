"""AlibabaClient: what a catalog publisher needs from the Alibaba.com (ICBU) product protocol.

Every method returns typed payloads (``payloads.py``) and raises ``errors.AlibabaError`` subclasses.
Retries, rate limiting, timeouts and signing live in ``transport.py``.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Iterator, Sequence

import requests

from .config import AlibabaSettings
from .errors import FeatureUnavailable, ProtocolError
from .payloads import (Category, CategoryAttribute, CategoryNode, DisplayResult, Inquiry, Page, PhotobankImage,
                       Product, ProductBrief, ProductDraft, UploadedFile, UploadedImage, format_time)
from .transport import Transport

log = logging.getLogger("integrations.alibaba")

LANGUAGE = "ENGLISH"
MAX_PAGE_SIZE = 30
MAX_DISPLAY_BATCH = 50


class AlibabaClient:
    def __init__(self, settings: AlibabaSettings | None = None, *, session: requests.Session | None = None):
        self.settings = settings or AlibabaSettings.from_env()
        self.transport = Transport(self.settings, session)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> "AlibabaClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"AlibabaClient(gateway={self.settings.gateway_url!r}, app_key={self.settings.app_key!r})"

    def call(self, method: str, params: dict[str, str] | None = None, *,
             files: dict[str, tuple[str, bytes]] | None = None, idempotent: bool = True) -> dict[str, Any]:
        """Low-level signed call; returns the result object (envelope and list wrappers removed)."""
        return self.transport.call(method, params, files=files, idempotent=idempotent)

    def _require_sandbox(self, feature: str) -> None:
        if not self.settings.is_sandbox:
            raise FeatureUnavailable(
                f"{feature} is not available on the real Alibaba.com platform: it offers no such API "
                f"(see the protocol doc §7); this works only against the sandbox gateway")

    # -- categories ----------------------------------------------------------------------------------
    def get_category(self, cat_id: int = 0) -> Category:
        """One category node; ``cat_id=0`` lists the first-level categories in ``child_ids``."""
        result = self.call("alibaba.icbu.category.get", {"cat_id": str(cat_id)})
        return Category.from_api(result.get("category") or {})

    def get_category_tree(self, root_id: int = 0) -> list[CategoryNode]:
        """The category tree under ``root_id`` (walks ``child_ids``, one call per node)."""
        root = self.get_category(root_id)
        return [self._node(child_id) for child_id in root.child_ids]

    def _node(self, cat_id: int) -> CategoryNode:
        category = self.get_category(cat_id)
        return CategoryNode(category, tuple(self._node(c) for c in category.child_ids))

    def get_category_attributes(self, cat_id: int) -> list[CategoryAttribute]:
        result = self.call("alibaba.icbu.category.attribute.get", {"cat_id": str(cat_id)})
        return [CategoryAttribute.from_api(a) for a in result.get("attributes") or []]

    # -- photo bank ----------------------------------------------------------------------------------
    def upload_image(self, data: bytes, file_name: str, *, group_id: str | None = None) -> UploadedImage:
        """Upload a JPEG/PNG (≤ 5 MB) to the photo bank; use ``.url`` in ProductDraft.images."""
        params = {"file_name": file_name}
        if group_id:
            params["group_id"] = group_id
        # An upload repeated after a lost reply only leaves an unused image behind: safe to retry.
        result = self.call("alibaba.icbu.photobank.upload", params, files={"image_bytes": (file_name, data)})
        return UploadedImage.from_api(result)

    def upload_file(self, data: bytes, file_name: str) -> UploadedFile:
        """Upload a document (PDF, JPEG or PNG, ≤ 5 MB) as an attachment; link ``.url`` from a listing."""
        # As with images, a repeat after a lost reply leaves an unused copy, nothing worse: safe to retry.
        result = self.call("alibaba.icbu.annex.upload", {"file_name": file_name},
                           files={"file_input_stream_bytes": (file_name, data)})
        if (result.get("result") or {}).get("success") is False:  # a business flag, not an error_response
            raise ProtocolError("attachment upload refused", method="alibaba.icbu.annex.upload")
        return UploadedFile.from_api(result)

    def list_images(self, *, page: int = 1, page_size: int = 20) -> Page[PhotobankImage]:
        result = self.call("alibaba.icbu.photobank.list", {"current_page": str(page), "page_size": str(page_size),
                                                             "location_type": "ALL_GROUP", "extra_context": "{}"})
        body = result.get("pagination_query_list") or {}
        items = tuple(PhotobankImage.from_api(i) for i in body.get("list") or [])
        return Page(items, int(body.get("current_page") or page), int(body.get("page_size") or page_size),
                    int(body.get("total_item") or len(items)))

    # -- products ------------------------------------------------------------------------------------
    def add_product(self, draft: ProductDraft) -> str:
        """Publish a product; returns its (obfuscated) ``product_id``. Review follows: poll get_product.

        Not retried when the outcome is unknown (timeout / lost reply): the caller should look the product
        up with :meth:`find_products_by_reference` before adding it again.
        """
        result = self.call("alibaba.icbu.product.add", draft.to_params(), idempotent=False)
        return str(result["product_id"])

    def update_product(self, product_id: str, draft: ProductDraft) -> str:
        """Full update: send the complete listing (omitted optional fields are cleared)."""
        params = draft.to_params()
        params["product_id"] = product_id
        return str(self.call("alibaba.icbu.product.update", params)["product_id"])

    def get_product(self, product_id: str) -> Product:
        """The product with its review ``status``, ``display`` and ``audit_fail_reasons``."""
        result = self.call("alibaba.icbu.product.get", {"product_id": product_id, "language": LANGUAGE})
        return Product.from_api(result.get("product") or {})

    def list_products(self, *, page: int = 1, page_size: int = MAX_PAGE_SIZE, category_id: int | None = None,
                      subject: str | None = None, plain_id: int | None = None,
                      modified_from: datetime | None = None, modified_to: datetime | None = None
                      ) -> Page[ProductBrief]:
        """One page (≤ 30) of the seller's products, newest ``gmt_modified`` first."""
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be 1..{MAX_PAGE_SIZE}")
        params = {"language": LANGUAGE, "current_page": str(page), "page_size": str(page_size)}
        if category_id is not None:
            params["category_id"] = str(category_id)
        if subject:
            params["subject"] = subject
        if plain_id is not None:
            params["id"] = str(plain_id)
        if modified_from is not None:
            params["gmt_modified_from"] = format_time(modified_from)
        if modified_to is not None:
            params["gmt_modified_to"] = format_time(modified_to)
        result = self.call("alibaba.icbu.product.list", params)
        items = tuple(ProductBrief.from_api(p) for p in result.get("products") or [])
        return Page(items, int(result.get("current_page") or page), int(result.get("page_size") or page_size),
                    int(result.get("total_item") or 0))

    def iter_products(self, **filters: Any) -> Iterator[ProductBrief]:
        """All products matching the filters of :meth:`list_products`, page after page."""
        page = 1
        while True:
            current = self.list_products(page=page, **filters)
            yield from current.items
            if not current.has_next or not current.items:
                return
            page += 1

    def find_products_by_reference(self, reference: str, *, modified_from: datetime | None = None,
                                   subject: str | None = None) -> list[ProductBrief]:
        """Products whose "Model Number" (``red_model``) equals ``reference``.

        Use it to recover from a lost ``add`` reply: pass ``modified_from`` a little before the lost call.
        """
        return [p for p in self.iter_products(modified_from=modified_from, subject=subject)
                if p.red_model == reference]

    def set_display(self, product_ids: Sequence[str], online: bool) -> DisplayResult:
        """Put products online (``display=Y``) or take them offline, in batches of 50."""
        ids = list(product_ids)
        if not ids:
            return DisplayResult(success=True)
        failed: dict[str, str] = {}
        code = message = ""
        for start in range(0, len(ids), MAX_DISPLAY_BATCH):
            batch = ids[start:start + MAX_DISPLAY_BATCH]
            result = DisplayResult.from_api(self.call(
                "alibaba.icbu.product.batch.update.display",
                {"new_display": "on" if online else "off", "product_id_list": ",".join(batch)}))
            failed.update(result.failed)
            code, message = code or result.error_code, message or result.error_message
        return DisplayResult(success=not failed, failed=failed, error_code=code, error_message=message)

    def take_offline(self, product_ids: Sequence[str]) -> DisplayResult:
        return self.set_display(product_ids, online=False)

    def put_online(self, product_ids: Sequence[str]) -> DisplayResult:
        return self.set_display(product_ids, online=True)

    def delete_products(self, product_ids: Sequence[str]) -> DisplayResult:
        """Hard delete (sandbox extension ``sandbox.product.delete``). The real platform has no delete:
        there this raises FeatureUnavailable; use :meth:`take_offline`."""
        self._require_sandbox("Deleting products")
        ids = list(product_ids)
        failed: dict[str, str] = {}
        for start in range(0, len(ids), MAX_DISPLAY_BATCH):
            result = DisplayResult.from_api(self.call(
                "sandbox.product.delete", {"product_id_list": ",".join(ids[start:start + MAX_DISPLAY_BATCH])}))
            failed.update(result.failed)
        return DisplayResult(success=not failed, failed=failed)

    def decrypt_product_id(self, product_id: str) -> int:
        return int(self.call("alibaba.icbu.product.id.decrypt",
                             {"product_id": product_id, "language": LANGUAGE})["id"])

    def encrypt_product_id(self, plain_id: int) -> str:
        return str(self.call("alibaba.icbu.product.id.encrypt",
                             {"product_id": str(plain_id), "language": LANGUAGE})["secret_id"])

    # -- buyer inquiries (sandbox extension, doc §7 and §8.5) -----------------------------------------
    def list_inquiries(self, *, page: int = 1, page_size: int = MAX_PAGE_SIZE, status: str | None = None,
                       product_id: str | None = None, created_from: datetime | None = None) -> Page[Inquiry]:
        """Buyer inquiries, newest first (brief form: no message text; use get_inquiry)."""
        self._require_sandbox("Reading buyer inquiries")
        params = {"current_page": str(page), "page_size": str(page_size)}
        if status:
            params["status"] = status
        if product_id:
            params["product_id"] = product_id
        if created_from is not None:
            params["gmt_create_from"] = format_time(created_from)
        result = self.call("sandbox.inquiry.list", params)
        items = tuple(Inquiry.from_api(i) for i in result.get("inquiries") or [])
        return Page(items, int(result.get("current_page") or page), int(result.get("page_size") or page_size),
                    int(result.get("total_item") or 0))

    def iter_inquiries(self, **filters: Any) -> Iterator[Inquiry]:
        page = 1
        while True:
            current = self.list_inquiries(page=page, **filters)
            yield from current.items
            if not current.has_next or not current.items:
                return
            page += 1

    def get_inquiry(self, inquiry_id: int) -> Inquiry:
        self._require_sandbox("Reading buyer inquiries")
        return Inquiry.from_api(self.call("sandbox.inquiry.get", {"inquiry_id": str(inquiry_id)})["inquiry"])

    def update_inquiry(self, inquiry_id: int, *, status: str, reply: str | None = None) -> Inquiry:
        """Set the status (read | quoted | closed), optionally adding a reply text."""
        self._require_sandbox("Answering buyer inquiries")
        params = {"inquiry_id": str(inquiry_id), "status": status}
        if reply:
            params["reply"] = reply
        # A repeated reply would be posted twice: not retried when the outcome is unknown.
        result = self.call("sandbox.inquiry.update", params, idempotent=not reply)
        return Inquiry.from_api(result["inquiry"])

    def mark_inquiry_read(self, inquiry_id: int) -> Inquiry:
        return self.update_inquiry(inquiry_id, status="read")

    def reply_to_inquiry(self, inquiry_id: int, text: str, *, status: str = "quoted") -> Inquiry:
        return self.update_inquiry(inquiry_id, status=status, reply=text)
