"""A sync with nothing to do plans on plain rows: no write call, no model instance, a fixed number of queries."""
from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from catalog_sync.models import ExportProfile, Listing
from catalog_sync.sync import NOOP, UPDATE, catalog_sync_run

from tests.catalog_sync.helpers import make_export

pytestmark = pytest.mark.django_db(transaction=False)


def sync(source, catalog, **kwargs):
    return catalog_sync_run(source=source, catalog=catalog, triggered_by="test", **kwargs)


class InstancesBuilt:
    """Counts ExportProfile and Listing model instances created while active."""

    def __init__(self):
        self.count = 0

    def __call__(self, sender, **kwargs):
        if sender in (ExportProfile, Listing):
            self.count += 1

    def __enter__(self):
        post_init.connect(self)
        return self

    def __exit__(self, *exc):
        post_init.disconnect(self)


def publish(coop, channel, trade_staff, n: int, start: int = 0):
    from tests.factories import make_product

    products = [make_product(coop, channel, name=f"Gạo lô {i}", price=100_000 + i, stock=5)
                for i in range(start, start + n)]
    for p in products:
        make_export(p, trade_staff, title_en=f"Rice lot {p.pk}")
    return products


def test_noop_sync_writes_nothing_builds_no_instance_and_its_queries_do_not_grow(coop, channel, trade_staff, source,
                                                                                 catalog, categories):
    publish(coop, channel, trade_staff, 1)
    assert sync(source, catalog).counts["add"] == 1

    def noop_queries() -> int:
        with CaptureQueriesContext(connection) as queries, InstancesBuilt() as built:
            report = sync(source, catalog)
        assert report.write_calls == 0 and report.read_calls == 0
        assert report.counts[NOOP] == Listing.objects.count() == report.run.unchanged
        assert built.count == 0
        return len(queries)

    one = noop_queries()
    publish(coop, channel, trade_staff, 4, start=1)
    assert sync(source, catalog).counts["add"] == 4
    assert noop_queries() == one
    assert one <= 16  # run and lease bookkeeping, the plan's reads, the shop snapshot's reads


def test_noop_changes_still_give_their_listing_and_profile(product, trade_staff, source, catalog, categories):
    make_export(product, trade_staff)
    sync(source, catalog)
    [change] = sync(source, catalog, dry_run=True).changes
    assert change.action == NOOP
    assert change.listing == Listing.objects.get() and change.profile.product_id == product.pk
    assert change.listing.profile_id == change.profile.pk


def test_a_fingerprint_from_older_code_costs_a_rebuild_but_no_write(product, trade_staff, source, catalog,
                                                                    categories):
    make_export(product, trade_staff)
    sync(source, catalog)
    current = Listing.objects.get().input_hash
    Listing.objects.update(input_hash="0" * 40)
    report = sync(source, catalog)
    assert report.write_calls == 0 and report.counts[NOOP] == 1
    assert Listing.objects.get().input_hash == current
    with InstancesBuilt() as built:
        assert sync(source, catalog).write_calls == 0
    assert built.count == 0


def test_update_diff_is_against_the_published_payload(coop, channel, trade_staff, source, catalog, categories):
    products = publish(coop, channel, trade_staff, 3)
    sync(source, catalog)
    ExportProfile.objects.filter(product_id__in=[p.pk for p in products[:2]]).update(keywords=["jasmine rice"])
    with CaptureQueriesContext(connection) as queries:
        preview = sync(source, catalog, dry_run=True)
    updates = preview.by_action(UPDATE)
    assert len(updates) == 2 and preview.counts[NOOP] == 1
    for change in updates:
        assert [d for d in change.diff if d[0] == "keywords"] == [
            ("keywords", ["st25 rice", "vietnam rice", "fragrant rice"], ["jasmine rice"])]
    payload_reads = [q for q in queries if "published_payload" in q["sql"]]
    assert len(payload_reads) == 1  # one read for every update's diff
    report = sync(source, catalog)
    assert report.counts[UPDATE] == 2 and report.write_calls == 2


def test_terms_from_a_plain_row_equal_the_terms_of_the_model_instance(product, trade_staff, categories):
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from catalog_sync.mapping import Tier
    from catalog_sync.selectors import JSON_TERM_COLUMNS, TERM_COLUMNS, export_terms, export_terms_of_values

    profile = make_export(product, trade_staff, keywords=["st25 rice", "jasmine"], certifications=["VietGAP"],
                          target_markets=["Japan"])
    assert {"keywords", "payment_methods", "certifications", "target_markets"} == JSON_TERM_COLUMNS
    columns = [f"json_{name}" if name in JSON_TERM_COLUMNS else name for name in TERM_COLUMNS]
    [row] = ExportProfile.objects.filter(pk=profile.pk).annotate(
        **{f"json_{name}": Cast(name, TextField()) for name in JSON_TERM_COLUMNS}).values_list(*columns)
    assert all(isinstance(row[TERM_COLUMNS.index(name)], str) for name in JSON_TERM_COLUMNS)  # still JSON text
    profile = ExportProfile.objects.get(pk=profile.pk)
    expected = export_terms(profile)
    assert expected.keywords == ("st25 rice", "jasmine") and expected.tiers == (
        Tier(100, expected.tiers[0].price_usd), Tier(500, expected.tiers[1].price_usd))
    assert export_terms_of_values(row, tiers=expected.tiers, category=expected.category, json_as_text=True) == expected


def test_every_term_column_and_snapshot_field_but_stock_and_edit_time_is_in_the_fingerprint(product):
    from dataclasses import fields, replace

    from catalog_sync.ports import CertificateRef, ImageRef
    from catalog_sync.selectors import TERM_COLUMNS
    from catalog_sync.source import shop_source
    from catalog_sync.sync import inputs_fingerprint

    snapshot = shop_source().snapshots([product.pk])[product.pk]
    terms = tuple(f"value {i}" for i in range(len(TERM_COLUMNS)))
    tiers = ((100, "7.80"),)
    base = inputs_fingerprint(terms, tiers, "category", snapshot, 640)
    assert inputs_fingerprint(terms, tiers, "category", replace(snapshot, quantity_available=0, updated_at=None),
                              640) == base
    for index in range(len(terms)):
        assert inputs_fingerprint(terms[:index] + ("other",) + terms[index + 1:], tiers, "category", snapshot,
                                  640) != base
    assert inputs_fingerprint(terms, ((100, "7.81"),), "category", snapshot, 640) != base
    assert inputs_fingerprint(terms, tiers, "other category", snapshot, 640) != base
    assert inputs_fingerprint(terms, tiers, "category", snapshot, 800) != base
    changed = {"product_id": 987654, "cooperative_id": 987654, "cooperative_name": "changed",
               "cooperative_selling": not snapshot.cooperative_selling, "name": "changed", "name_en": "changed",
               "description": "changed", "description_en": "changed", "category_id": 987654,
               "category_name": "changed", "category_name_en": "changed", "is_published": not snapshot.is_published,
               "is_combo": not snapshot.is_combo, "price_vnd": 987654, "unit_label": "changed",
               "net_quantity": "987.654", "net_unit": "changed", "weight_g": 987654, "shelf_life_days": 987654,
               "origin_province_en": "changed", "standards": ("changed",), "certifications": ("changed",),
               "images": (ImageRef(987654, "changed", 1, 1),),
               "certificates": (CertificateRef(987654, "VietGAP", "changed", "", None, None, "changed", "pdf"),),
               "expired_certifications": ("changed",)}
    assert set(changed) | {"quantity_available", "updated_at"} == {f.name for f in fields(snapshot)}
    for name, value in changed.items():
        assert inputs_fingerprint(terms, tiers, "category", replace(snapshot, **{name: value}), 640) != base, name
