"""Export trust against the sandbox over HTTP: certificates on listings, expiry, provenance, the readable diff,
publish snapshots and rollback (of a listing and of a run) under injected platform faults."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from catalog_sync import services
from catalog_sync.models import (CertificateUpload, FieldProvenance, Listing, ListingRestore, PublishSnapshot,
                                 SyncAttempt, SyncRun)
from catalog_sync.remote import B2BCatalog
from catalog_sync.sync import ADD, OFFLINE, UPDATE, catalog_sync_run
from storefront.cooperative.models import Certification
from storefront.cooperative.services import certification_save
from tests.catalog_sync.helpers import make_export, remote_products
from tests.cooperative import pdfs
from tests.cooperative.test_certificate_vault import upload

pytestmark = pytest.mark.django_db


def sync(source, catalog=None, **kwargs):
    own = catalog is None
    catalog = catalog or B2BCatalog()
    try:
        return catalog_sync_run(source=source, catalog=catalog, triggered_by="test", **kwargs)
    finally:
        if own:
            catalog.close()


def vietgap(coop, actor, *, until: date, number="VG-2026-0042", **changes):
    return certification_save(actor=actor, cooperative=coop, file=upload(pdfs.plain_pdf()), data={
        "type": "VietGAP", "number": number, "issuer": "Quacert", "valid_from": date(2025, 1, 2),
        "valid_until": until, **changes})


def remote_description(catalog, listing) -> str:
    return catalog.client.get_product(listing.remote_id).description


def remote_attributes(catalog, listing) -> dict:
    return {a.attribute_name: a.value_name for a in catalog.client.get_product(listing.remote_id).attributes}


# -- certificates on the B2B listing ------------------------------------------------------------------------

def test_listing_carries_the_certificate_and_its_document_uploaded_once(coop, channel, coop_staff, trade_staff,
                                                                        source, catalog, categories, sandbox):
    from tests.factories import make_product

    vietgap(coop, coop_staff, until=timezone.localdate() + timedelta(days=200))
    rice = make_product(coop, channel, "Gạo ST25", 195_000)
    pepper = make_product(coop, channel, "Hồ tiêu", 150_000)
    make_export(rice, trade_staff)
    first = sync(source, catalog)
    assert first.counts[ADD] == 1 and first.write_calls == 3  # image, certificate document, add
    [uploaded] = CertificateUpload.objects.all()
    listing = Listing.objects.get(profile__product_id=rice.pk)
    description = remote_description(catalog, listing)
    assert "VietGAP No. VG-2026-0042, issued by Quacert, valid 2025-01-02 to" in description
    assert uploaded.url in description
    document = requests.get(uploaded.url, timeout=5)
    assert document.status_code == 200 and document.content == pdfs.plain_pdf()
    assert remote_attributes(catalog, listing)["Certification"] == "VietGAP"
    make_export(pepper, trade_staff, title_en="Vietnam Black Pepper 500 GL")
    second = sync(source, catalog)
    assert second.counts[ADD] == 1 and second.write_calls == 1  # same image bytes, same document: both reused
    assert CertificateUpload.objects.count() == 1
    assert sync(source, catalog).write_calls == 0  # and a no-op stays a no-op


def test_soon_expiring_certificate_warns_and_expired_one_is_withdrawn(coop, product, coop_staff, trade_staff,
                                                                       source, catalog, categories):
    cert = vietgap(coop, coop_staff, until=timezone.localdate() + timedelta(days=3))
    make_export(product, trade_staff)
    report = sync(source, catalog)
    [change] = report.by_action(ADD)
    assert [d.code for d in change.diagnostics] == ["certificate_expiring"]  # a warning: still published
    assert "VG-2026-0042" in change.diagnostics[0].message
    listing = Listing.objects.get()
    assert "VG-2026-0042" in remote_description(catalog, listing)

    Certification.objects.filter(pk=cert.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    preview = sync(source, catalog, dry_run=True)
    [change] = preview.by_action(UPDATE)
    assert [d.code for d in change.diagnostics] == ["certificate_expired"]
    report = sync(source, catalog)
    assert report.counts[UPDATE] == 1
    assert "Certification" not in remote_attributes(catalog, listing)
    assert "VG-2026-0042" not in remote_description(catalog, listing)
    assert sync(source, catalog).write_calls == 0

    vietgap(coop, coop_staff, until=timezone.localdate() + timedelta(days=365), number="VG-2027-0100")
    assert sync(source, catalog).counts[UPDATE] == 1  # the renewal goes back on the listing
    assert remote_attributes(catalog, listing)["Certification"] == "VietGAP"
    assert "VG-2027-0100" in remote_description(catalog, listing)


def test_readiness_blocks_when_the_category_requires_the_expired_certificate(coop, product, coop_staff,
                                                                            trade_staff, source, categories):
    from catalog_sync.mapping import CategoryRules, readiness
    from catalog_sync.selectors import export_terms

    cert = vietgap(coop, coop_staff, until=timezone.localdate() - timedelta(days=1))
    profile = make_export(product, trade_staff)
    snapshot = source.snapshots([product.pk])[product.pk]
    assert snapshot.expired_certifications == ("VietGAP",) and snapshot.certificates == ()
    rules = CategoryRules(id=1, name="Fresh Fruit", required_attributes=("Place of Origin", "Certification"))
    found = readiness(export_terms(profile, category=rules), snapshot, today=timezone.localdate())
    blocking = [d for d in found if d.blocks]
    assert [d.code for d in blocking] == ["required"] and blocking[0].field == "certifications"
    assert any(d.code == "certificate_expired" and not d.blocks for d in found)
    Certification.objects.filter(pk=cert.pk).update(valid_until=timezone.localdate() + timedelta(days=90))
    snapshot = source.snapshots([product.pk])[product.pk]
    assert not [d for d in readiness(export_terms(profile, category=rules), snapshot) if d.blocks]


def test_certificate_scope_limits_which_products_it_covers(coop, channel, coop_staff, source):
    from tests.factories import make_product

    rice = make_product(coop, channel, "Gạo ST25", 195_000)
    pepper = make_product(coop, channel, "Hồ tiêu", 150_000)
    vietgap(coop, coop_staff, until=timezone.localdate() + timedelta(days=90), scope_products=[rice.pk])
    snapshots = source.snapshots([rice.pk, pepper.pk])
    assert [c.number for c in snapshots[rice.pk].certificates] == ["VG-2026-0042"]
    assert "VietGAP" in snapshots[rice.pk].certifications
    assert snapshots[pepper.pk].certificates == () and "VietGAP" not in snapshots[pepper.pk].certifications


# -- provenance -------------------------------------------------------------------------------------------

def test_provenance_records_copies_defaults_and_overrides_and_flags_shop_changes(product, trade_staff, source,
                                                                                 client):
    from catalog_sync.provenance import field_origins

    product.name_en = "ST25 rice"
    product.save()
    profile = services.export_profile_get_or_create(actor=trade_staff, source=source, product_id=product.pk)
    origins = field_origins(profile, source.snapshots([product.pk])[product.pk])
    assert origins["title_en"].source == "shop" and "tên tiếng Anh của sản phẩm" in origins["title_en"].why
    assert origins["place_of_origin"].source == "default" and origins["hs_code"].source == ""
    services.export_profile_update(actor=trade_staff, source=source, profile=profile,
                                   data={"title_en": "Vietnam ST25 Rice Premium", "hs_code": "100630",
                                         "place_of_origin": "Vietnam"})
    rows = {r.field: r for r in FieldProvenance.objects.filter(profile=profile)}
    assert rows["title_en"].source == "staff" and rows["title_en"].set_by == trade_staff
    assert rows["hs_code"].source == "staff"
    assert rows["place_of_origin"].source == "default"  # saved unchanged: still the default

    product.name_en = "ST25 fragrant rice, new crop"
    product.save()
    profile.refresh_from_db()
    assert profile.title_en == "Vietnam ST25 Rice Premium"  # the person's value stands
    origin = field_origins(profile, source.snapshots([product.pk])[product.pk])["title_en"]
    assert origin.shop_changed and origin.shop_now == "ST25 fragrant rice, new crop"
    client.force_login(trade_staff)
    page = client.get(reverse("catalog_sync:profile", args=[product.pk])).content.decode()
    assert "Cửa hàng đã đổi sau khi bạn sửa" in page and "trade@example.com" in page
    client.post(reverse("catalog_sync:take_shop_value", args=[product.pk, "title_en"]))
    profile.refresh_from_db()
    assert profile.title_en == "ST25 fragrant rice, new crop"
    origin = field_origins(profile, source.snapshots([product.pk])[product.pk])["title_en"]
    assert origin.source == "shop" and not origin.shop_changed


def test_suggested_prices_record_the_rate_and_margin(product, trade_staff, source):
    from decimal import Decimal

    profile = services.export_profile_get_or_create(actor=trade_staff, source=source, product_id=product.pk)
    services.exchange_rate_set(actor=trade_staff, source=source, on_date=timezone.localdate(),
                               vnd_per_usd=Decimal("25400"))
    services.price_tiers_suggest(actor=trade_staff, source=source, profile=profile,
                                 tiers=[(100, Decimal("10"))])
    row = FieldProvenance.objects.get(profile=profile, field="price_tiers")
    assert row.source == "computed" and "195.000 ₫" in row.rule and "25400" in row.rule and "10" in row.rule


# -- the readable diff ----------------------------------------------------------------------------------------

def test_dry_run_diff_is_plain_text_with_old_new_and_why(product, trade_staff, source, catalog, categories, client):
    profile = make_export(product, trade_staff)
    sync(source, catalog)
    services.export_profile_update(actor=trade_staff, source=source, profile=profile, data={
        "title_en": "Vietnam ST25 Rice Premium Grade",
        "tiers": [{"min_quantity": 100, "price_usd": "7.90"}, {"min_quantity": 500, "price_usd": "7.41"}]})
    client.force_login(trade_staff)
    page = client.get(reverse("catalog_sync:preview")).content.decode()
    assert product.name in page and "Cập nhật" in page
    assert "Vietnam ST25 Fragrant Rice 5 kg Bag" in page and "Vietnam ST25 Rice Premium Grade" in page
    assert "từ 100: 7.80 USD; từ 500: 7.41 USD" in page and "từ 100: 7.90 USD; từ 500: 7.41 USD" in page
    assert "Do trade@example.com đặt lúc" in page
    for raw in ("bulk_discount_prices", "subject", "{&#x27;", "&lt;p&gt;", "start_quantity"):
        assert raw not in page


def test_readable_diff_flattens_html_attributes_and_nested_terms():
    from catalog_sync.diff_text import readable_diff

    old = {"description": "<p>Old &amp; good</p><ul><li><b>Origin:</b> Soc Trang</li></ul>",
           "attributes": [{"attribute_name": "HS Code", "value_name": "100630"},
                          {"attribute_name": "Grade", "value_name": "A"}],
           "sourcing_trade": {"delivery_port": "Cat Lai", "payment_methods": ["T/T"]}}
    new = {"description": "<p>New</p>", "attributes": [{"attribute_name": "Grade", "value_name": "A"},
                                                       {"attribute_name": "HS Code", "value_name": "100640"}],
           "sourcing_trade": {"delivery_port": "Cat Lai", "payment_methods": ["T/T", "L/C"]}}
    changes = {c.label: c for c in readable_diff(old, new)}
    assert set(changes) == {"Mô tả", "Mã HS", "Phương thức thanh toán"}  # reordered attributes are no change
    assert changes["Mô tả"].old == "Old & good\n• Origin: Soc Trang" and changes["Mô tả"].new == "New"
    assert (changes["Mã HS"].old, changes["Mã HS"].new) == ("100630", "100640")
    assert changes["Phương thức thanh toán"].new == "T/T, L/C"


# -- snapshots ----------------------------------------------------------------------------------------------

def test_every_successful_publish_stores_an_immutable_snapshot(product, trade_staff, source, catalog, categories):
    profile = make_export(product, trade_staff)
    sync(source, catalog)
    [added] = PublishSnapshot.objects.all()
    listing = Listing.objects.get()
    assert added.action == "add" and added.payload == listing.published_payload
    assert added.response["product_id"] == listing.remote_id and added.changed_by == trade_staff
    assert added.content_hash == listing.content_hash and added.run.kind == SyncRun.Kind.SYNC
    assert sync(source, catalog).write_calls == 0 and PublishSnapshot.objects.count() == 1
    services.export_profile_update(actor=trade_staff, source=source, profile=profile,
                                   data={"title_en": "Vietnam ST25 Rice Premium Grade"})
    sync(source, catalog)
    assert list(PublishSnapshot.objects.order_by("pk").values_list("action", flat=True)) == ["add", "update"]
    added.payload = {"subject": "tampered"}
    with pytest.raises(ValueError):
        added.save()


def test_prune_keeps_recent_latest_and_held_snapshots(product, trade_staff, source, catalog, categories, settings):
    profile = make_export(product, trade_staff)
    sync(source, catalog)
    for title in ("Vietnam ST25 Rice A", "Vietnam ST25 Rice B", "Vietnam ST25 Rice C"):
        services.export_profile_update(actor=trade_staff, source=source, profile=profile, data={"title_en": title})
        sync(source, catalog)
    snapshots = list(PublishSnapshot.objects.order_by("pk"))
    assert len(snapshots) == 4
    PublishSnapshot.objects.update(created_at=timezone.now() - timedelta(days=400))
    listing = Listing.objects.get()
    services.listing_rollback_request(actor=trade_staff, source=source, listing=listing, snapshot=snapshots[0])
    settings.CATALOG_SYNC_SNAPSHOT_RETENTION_DAYS = 180
    settings.CATALOG_SYNC_SNAPSHOT_KEEP = 2
    from catalog_sync.tasks import prune_publish_snapshots_task

    assert prune_publish_snapshots_task.delay().get() == 1  # the second; the first is held by the rollback
    assert set(PublishSnapshot.objects.values_list("pk", flat=True)) == {snapshots[0].pk, snapshots[2].pk,
                                                                        snapshots[3].pk}
    assert "catalog-sync-prune-snapshots" in settings.CELERY_BEAT_SCHEDULE


# -- rollback ----------------------------------------------------------------------------------------------

def _converge(source, rounds=15):
    for _ in range(rounds):
        sync(source)
        if not ListingRestore.objects.filter(status=ListingRestore.Status.PENDING).exists():
            return
    raise AssertionError("the rollback did not converge")


def test_rollback_of_one_listing_under_faults_is_exactly_once(product, trade_staff, source, catalog, categories,
                                                              sandbox, settings):
    profile = make_export(product, trade_staff)
    sync(source, catalog)
    services.export_profile_update(actor=trade_staff, source=source, profile=profile,
                                   data={"title_en": "Vietnam ST25 Rice WRONG NAME"})
    sync(source, catalog)
    listing = Listing.objects.get()
    first = PublishSnapshot.objects.order_by("pk").first()
    services.listing_rollback_request(actor=trade_staff, source=source, listing=listing, snapshot=first)
    preview = sync(source, catalog, dry_run=True)
    [change] = preview.by_action(UPDATE)
    assert change.reason == "rolled_back" and change.payload == first.payload
    assert ("subject", "Vietnam ST25 Rice WRONG NAME", "Vietnam ST25 Fragrant Rice 5 kg Bag") in change.diff

    settings.CATALOG_SYNC_MAX_ATTEMPTS = 1
    sandbox.knobs(fault_rate=0.4, fault_modes=["isp", "unavailable", "http503", "drop"], seed=5,
                  lose_reply_methods=["alibaba.icbu.product.update"], lose_next_replies=1)
    _converge(source)
    sandbox.knobs(fault_rate=0.0)
    assert SyncAttempt.objects.exclude(outcome="ok").exists()  # the faults really happened
    remote = catalog.client.get_product(listing.remote_id)
    assert remote.subject == "Vietnam ST25 Fragrant Rice 5 kg Bag"
    assert PublishSnapshot.objects.filter(action="rollback").count() == 1  # one, however many tries
    rollback = PublishSnapshot.objects.get(action="rollback")
    assert rollback.restored_from == first and rollback.payload == first.payload
    assert ListingRestore.objects.get().status == ListingRestore.Status.HELD
    assert Counter(p.red_model for p in remote_products(catalog)) == {listing.model_number: 1}
    assert sync(source, catalog).write_calls == 0  # held: the profile does not overwrite it

    services.export_profile_update(actor=trade_staff, source=source, profile=profile,
                                   data={"title_en": "Vietnam ST25 Rice Right Name"})
    assert not ListingRestore.objects.exists()
    assert sync(source, catalog).counts[UPDATE] == 1
    assert catalog.client.get_product(listing.remote_id).subject == "Vietnam ST25 Rice Right Name"


def test_rollback_of_a_whole_run_restores_each_listing_or_takes_new_ones_offline(coop, channel, trade_staff, source,
                                                                                 catalog, categories, sandbox,
                                                                                 settings):
    from tests.factories import make_product

    rice, pepper, tea = (make_product(coop, channel, name, 100_000) for name in ("Gạo", "Tiêu", "Trà"))
    rice_profile = make_export(rice, trade_staff, title_en="Rice before")
    pepper_profile = make_export(pepper, trade_staff, title_en="Pepper before")
    sync(source, catalog)
    services.export_profile_update(actor=trade_staff, source=source, profile=rice_profile,
                                   data={"title_en": "Rice after"})
    services.export_profile_update(actor=trade_staff, source=source, profile=pepper_profile,
                                   data={"title_en": "Pepper after"})
    make_export(tea, trade_staff, title_en="Tea added by the bad run", remote_category=100000006)
    bad = sync(source, catalog)
    assert bad.counts[UPDATE] == 2 and bad.counts[ADD] == 1
    result = services.run_rollback_request(actor=trade_staff, source=source, run=bad.run)
    assert result == {"held": 3, "gone": []}
    preview = sync(source, catalog, dry_run=True)
    assert len(preview.by_action(UPDATE)) == 2 and len(preview.by_action(OFFLINE)) == 1

    settings.CATALOG_SYNC_MAX_ATTEMPTS = 1
    sandbox.knobs(fault_rate=0.3, fault_modes=["isp", "http503", "drop"], seed=3)
    _converge(source)
    sandbox.knobs(fault_rate=0.0)
    assert SyncAttempt.objects.exclude(outcome="ok").exists()
    subjects = {p.red_model: (p.subject, p.display) for p in remote_products(catalog)}
    by_product = {lst.profile.product_id: lst.model_number for lst in Listing.objects.select_related("profile")}
    assert subjects[by_product[rice.pk]] == ("Rice before", "Y")
    assert subjects[by_product[pepper.pk]] == ("Pepper before", "Y")
    assert subjects[by_product[tea.pk]][1] == "N"
    assert len(subjects) == 3  # nothing duplicated
    assert PublishSnapshot.objects.filter(action="rollback").count() == 2


def test_rollback_of_a_listing_the_platform_deleted_says_so(product, trade_staff, source, catalog, categories):
    profile = make_export(product, trade_staff)
    sync(source, catalog)
    services.export_profile_update(actor=trade_staff, source=source, profile=profile,
                                   data={"title_en": "Vietnam ST25 Rice Second"})
    sync(source, catalog)
    listing = Listing.objects.get()
    first = PublishSnapshot.objects.order_by("pk").first()
    catalog.client.delete_products([listing.remote_id])  # gone behind our back
    services.listing_rollback_request(actor=trade_staff, source=source, listing=listing, snapshot=first)
    sync(source, catalog)
    restore = ListingRestore.objects.get()
    assert restore.status == ListingRestore.Status.GONE and "đã bị xóa trên sàn" in restore.message
    listing.refresh_from_db()
    assert listing.remote_id == ""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:  # asking again, now that we know, is refused with the reason
        services.listing_rollback_request(actor=trade_staff, source=source, listing=listing, snapshot=first)
    assert exc.value.error_dict["listing"][0].code == "listing_gone"


def test_history_and_rollback_pages(product, trade_staff, coop_staff, source, catalog, categories, client):
    profile = make_export(product, trade_staff)
    sync(source, catalog)
    services.export_profile_update(actor=trade_staff, source=source, profile=profile,
                                   data={"title_en": "Vietnam ST25 Rice Second"})
    run = sync(source, catalog).run
    first = PublishSnapshot.objects.order_by("pk").first()
    client.force_login(coop_staff)
    for url in (reverse("catalog_sync:history", args=[product.pk]), reverse("catalog_sync:run", args=[run.pk]),
                reverse("catalog_sync:listing_rollback", args=[product.pk, first.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("catalog_sync:run_rollback", args=[run.pk])).status_code == 403
    assert not ListingRestore.objects.exists()
    client.force_login(trade_staff)
    history = client.get(reverse("catalog_sync:history", args=[product.pk])).content.decode()
    assert "Vietnam ST25 Rice Second" in history and "trade@example.com" in history and "Khôi phục" in history
    confirm = client.get(reverse("catalog_sync:listing_rollback", args=[product.pk, first.pk])).content.decode()
    assert "Vietnam ST25 Rice Second" in confirm and "Vietnam ST25 Fragrant Rice 5 kg Bag" in confirm
    response = client.post(reverse("catalog_sync:listing_rollback", args=[product.pk, first.pk]))
    assert response.status_code == 302 and ListingRestore.objects.get().snapshot == first
    preview = client.get(reverse("catalog_sync:preview")).content.decode()
    assert "Khôi phục phiên bản cũ" in preview
    run_page = client.get(reverse("catalog_sync:run_rollback", args=[run.pk])).content.decode()
    assert "Vietnam ST25 Rice Second" in run_page
