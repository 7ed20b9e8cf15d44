"""The shop as catalog_sync sees it: the ONLY module of catalog_sync that imports `storefront`.

Reads are batched (a fixed number of queries for any number of products) because a sync looks at
every selected product on every run.
"""
from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone

from storefront.cooperative.models import Certification, Cooperative
from storefront.core import permissions
from storefront.product.models import (Category, Product, ProductChannelListing, ProductMedia, ProductType,
                                       ProductVariant, ProductVariantChannelListing)
from storefront.warehouse.selectors import products_quantity_available

from .ports import CertificateRef, Choice, ImageRef, ProductSnapshot

# The platform's "Certification" values for the shop's certificate kinds (the organic schemes are one value there).
PLATFORM_CERTIFICATION = {"Organic-EU": "Organic", "Organic-USDA": "Organic", "Organic-JAS": "Organic"}


_NO_VAULT = ((), ())  # no vault certificate covers the product


def _export_channel_slug() -> str:
    return getattr(settings, "CATALOG_SYNC_CHANNEL", "vietnam")


def _ids_filter(field: str, ids: list[int]) -> Q:
    """`field IN ids`, or a BETWEEN when the ids fill most of their range: Django prepares every IN value in
    Python, which on 10,000 ids costs more than reading the few extra rows (dropped by the caller)."""
    low, high = min(ids), max(ids)
    if len(ids) >= 1000 and len(ids) * 2 >= high - low + 1:
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return Q(**{f"{field}__in": ids})


class ShopCatalogSource:
    def snapshots(self, product_ids: list[int]) -> dict[int, ProductSnapshot]:
        if not product_ids:
            return {}
        wanted = set(product_ids)
        # Plain tuples, not dicts or instances: a sync reads every selected product on every run.
        products = [row for row in Product.objects.filter(_ids_filter("pk", product_ids)).values_list(
            "pk", "cooperative_id", "cooperative__name", "cooperative__status", "name", "name_en", "description",
            "description_en", "category_id", "category__name", "category__name_en", "product_type__kind",
            "unit_label", "net_quantity", "net_unit", "weight_g", "shelf_life_days", "origin_province__name_en",
            "standards", "updated_at", "product_type_id") if row[0] in wanted]
        ids = [row[0] for row in products]
        if not ids:
            return {}
        channel_slug = _export_channel_slug()
        published = set(
            ProductChannelListing.objects.filter(_ids_filter("product_id", ids), channel__slug=channel_slug,
                                                 is_published=True)
            .filter(Q(available_for_purchase_at__isnull=True) | Q(available_for_purchase_at__lte=timezone.now()))
            .values_list("product_id", flat=True)
        )
        prices = dict(
            ProductVariantChannelListing.objects.filter(_ids_filter("variant__product_id", ids),
                                                        channel__slug=channel_slug)
            .values_list("variant__product_id").annotate(low=Min("price_amount")).values_list("variant__product_id",
                                                                                                 "low")
        )
        # One aggregate read; the ids as a subquery (a 10,000-value IN list costs more to prepare than to run).
        quantities = products_quantity_available(
            product_ids=Product.objects.filter(_ids_filter("pk", ids)).values("pk"))
        images: dict[int, list[ImageRef]] = defaultdict(list)
        storage = ProductMedia._meta.get_field("image").storage
        urls: dict[str, str] = {}
        for pid, media_id, digest, width, height, alt, name in (
                ProductMedia.objects.filter(_ids_filter("product_id", ids), type=ProductMedia.Type.IMAGE)
                .exclude(image="").order_by("product_id", "sort_order", "pk")
                .values_list("product_id", "pk", "content_hash", "width", "height", "alt", "image")):
            if pid not in wanted:
                continue
            url = urls.get(name)
            if url is None:
                url = urls[name] = storage.url(name)
            images[pid].append(ImageRef(media_id=media_id, content_hash=digest or f"media-{media_id}-{name}",
                                        width=width, height=height, alt=alt, url=url))
        today = timezone.localdate()
        product_certs: dict[int, set[str]] = defaultdict(set)
        coop_certs: dict[int, set[str]] = defaultdict(set)
        coop_ids = {row[1] for row in products}
        vault = self._vault({row[0]: row[1] for row in products}, {row[0]: row[-1] for row in products})
        # Declared certificates (no scan): of the product, or of the whole cooperative.
        for product_id, cooperative_id, kind, valid_until in Certification.objects.filter(
                _ids_filter("product_id", ids) | Q(cooperative_id__in=coop_ids, product__isnull=True)).filter(
                file="").values_list("product_id", "cooperative_id", "type", "valid_until"):
            if valid_until and valid_until < today:
                continue
            if product_id:
                product_certs[product_id].add(kind)
            else:
                coop_certs[cooperative_id].add(kind)
        for pid, (in_force, _ended) in vault.items():
            product_certs[pid].update(kind for _, kind, _ref in in_force)
        coop_only = {coop_id: tuple(sorted(kinds)) for coop_id, kinds in coop_certs.items()}
        approved, combo = Cooperative.Status.APPROVED, ProductType.Kind.COMBO
        result = {}
        for (pid, coop_id, coop_name, coop_status, name, name_en, description, description_en, category_id,
             category_name, category_name_en, kind, unit_label, net_quantity, net_unit, weight_g, shelf_life_days,
             province_en, standards, updated_at, _type_id) in products:
            own = product_certs.get(pid)
            in_force, ended = vault.get(pid, _NO_VAULT) if vault else _NO_VAULT
            result[pid] = ProductSnapshot(
                product_id=pid,
                cooperative_id=coop_id,
                cooperative_name=coop_name,
                cooperative_selling=coop_status == approved,
                name=name,
                name_en=name_en,
                description=description,
                description_en=description_en,
                category_id=category_id,
                category_name=category_name or "",
                category_name_en=category_name_en or "",
                is_published=pid in published,
                is_combo=kind == combo,
                price_vnd=prices.get(pid),
                quantity_available=quantities.get(pid, 0),
                unit_label=unit_label,
                net_quantity=str(net_quantity) if net_quantity is not None else "",
                net_unit=net_unit,
                weight_g=weight_g,
                shelf_life_days=shelf_life_days,
                origin_province_en=province_en or "",
                standards=tuple(map(str, standards)) if standards else (),
                certifications=(tuple(sorted(own | coop_certs.get(coop_id, set()))) if own
                                else coop_only.get(coop_id, ())),
                images=tuple(images.get(pid, ())),
                updated_at=updated_at,
                certificates=tuple(ref for _, _, ref in in_force) if in_force else (),
                expired_certifications=ended,
            )
        return result

    def _vault(self, coop_of: dict[int, int], type_of: dict[int, int]) -> dict[int, tuple]:
        """product id -> (in force: [(valid_until, shop kind, CertificateRef)] by end date, platform names of
        kinds whose covering certificates all ended). A vault certificate covers its product, its listed
        products and product types, or, with none of those, every product of its cooperative."""
        rows = list(Certification.objects.filter(cooperative_id__in=set(coop_of.values())).exclude(file="").values_list(
            "pk", "cooperative_id", "product_id", "type", "stars", "number", "issuer", "valid_from", "valid_until",
            "file_hash", "file_type"))
        if not rows:
            return {}
        cert_ids = [row[0] for row in rows]
        scoped_products: dict[int, set[int]] = defaultdict(set)
        for cert_id, product_id in Certification.scope_products.through.objects.filter(
                certification_id__in=cert_ids).values_list("certification_id", "product_id"):
            scoped_products[cert_id].add(product_id)
        scoped_types: dict[int, set[int]] = defaultdict(set)
        for cert_id, type_id in Certification.scope_product_types.through.objects.filter(
                certification_id__in=cert_ids).values_list("certification_id", "producttype_id"):
            scoped_types[cert_id].add(type_id)
        labels = dict(Certification.Type.choices)
        today = timezone.localdate()
        products_of_coop: dict[int, list[int]] = defaultdict(list)
        for pid, coop_id in coop_of.items():
            products_of_coop[coop_id].append(pid)
        in_force: dict[int, list] = defaultdict(list)
        ended: dict[int, set[str]] = defaultdict(set)
        alive: dict[int, set[str]] = defaultdict(set)
        for (cert_id, coop_id, product_id, kind, stars, number, issuer, valid_from, valid_until, digest,
             file_type) in rows:
            if product_id:
                covered = [product_id] if product_id in coop_of else []
            elif scoped_products.get(cert_id) or scoped_types.get(cert_id):
                covered = [pid for pid in products_of_coop.get(coop_id, ())
                           if pid in scoped_products.get(cert_id, ()) or type_of.get(pid) in scoped_types.get(cert_id, ())]
            else:
                covered = products_of_coop.get(coop_id, [])
            platform_kind = PLATFORM_CERTIFICATION.get(kind, kind)
            label = f"{labels.get(kind, kind)} {stars} sao" if stars else str(labels.get(kind, kind))
            for pid in covered:
                if valid_until and valid_until < today:
                    ended[pid].add(platform_kind)
                    continue
                alive[pid].add(platform_kind)
                in_force[pid].append((valid_until, kind, CertificateRef(
                    certification_id=cert_id, kind=platform_kind, number=number, issuer=issuer,
                    valid_from=valid_from, valid_until=valid_until, file_hash=digest, file_type=file_type,
                    label=label)))
        return {pid: (tuple(sorted(in_force.get(pid, ()), key=lambda r: (r[0] or today, r[2].certification_id))),
                      tuple(sorted(ended.get(pid, set()) - alive.get(pid, set()))))
                for pid in set(in_force) | set(ended)}

    def candidate_ids(self, *, query: str = "", cooperative_id: int | None = None,
                      category_id: int | None = None, limit: int | None = None) -> list[int]:
        from storefront.product.search import listing_search

        qs = Product.objects.exclude(product_type__kind=ProductType.Kind.COMBO)
        if cooperative_id:
            qs = qs.filter(cooperative_id=cooperative_id)
        if category_id:
            qs = qs.filter(category_id=category_id)
        # The shop's search (indexed, typo-tolerant on PostgreSQL), listed by cooperative as the console shows it.
        ids = listing_search(qs, query).order_by("cooperative__name", "name").values_list("pk", flat=True)
        return list(ids[:limit] if limit else ids)

    def cooperatives(self) -> list[Choice]:
        return [Choice(pk, name) for pk, name in Cooperative.objects.order_by("name").values_list("pk", "name")]

    def categories(self) -> list[Choice]:
        return [Choice(pk, name) for pk, name in Category.objects.order_by("name").values_list("pk", "name")]

    def certificate_bytes(self, certification_id: int) -> bytes:
        certification = Certification.objects.get(pk=certification_id)
        with certification.file.open("rb") as handle:
            return handle.read()

    def image_bytes(self, media_id: int) -> bytes:
        media = ProductMedia.objects.get(pk=media_id)
        with media.image.open("rb") as handle:
            return handle.read()

    def require_trade_staff(self, user) -> None:
        permissions.require_trade_staff(user)

    def is_trade_staff(self, user) -> bool:
        return permissions.is_trade_staff(user)

    def audit_record(self, *, actor, action: str, target, changes: dict) -> None:
        from storefront.core.audit import audit_record

        audit_record(actor=actor, action=action, target=target, changes=changes)

    def cooperative_ids_of(self, user) -> set[int]:
        return permissions.cooperative_ids_of(user)

    def product_ids_by_sku(self, skus: list[str]) -> dict[str, int]:
        """Shop product ids of the variants with these SKUs (the demo finds its sample products this way)."""
        return dict(ProductVariant.objects.filter(sku__in=skus).values_list("sku", "product_id"))

    def sample_catalog(self) -> dict:
        """The shop's sample catalog (demo data, with the `export` terms of some products)."""
        from storefront.demo.seed import load_sample

        return load_sample()

    def a_trade_staff_user(self):
        """An active trade-staff account to act as in demo seeding (None when there is none)."""
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(is_active=True, is_trade_staff=True).order_by("pk").first()

    def cooperative_email(self, cooperative_id: int) -> str:
        """Where the cooperative hears of a buyer's inquiry ("" when it gave no address)."""
        return Cooperative.objects.filter(pk=cooperative_id).values_list("email", flat=True).first() or ""

    def product_edit_url(self, product_id: int) -> str:
        try:
            return reverse("dashboard:product-edit", args=[product_id])
        except Exception:  # the dashboard's url names are not a contract; no link beats a crash
            return ""


def shop_source() -> ShopCatalogSource:
    return ShopCatalogSource()
