"""Publishing against the sandbox over HTTP: the remote catalog ends equal to the selection."""
from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from catalog_sync.models import Listing, SyncAttempt
from catalog_sync.remote import B2BCatalog
from catalog_sync.sync import ADD, OFFLINE, UPDATE, catalog_sync_run
from storefront.warehouse.models import Stock

from tests.catalog_sync.helpers import make_export, remote_products

pytestmark = pytest.mark.django_db(transaction=False)


def sync(source, catalog, **kwargs):
    return catalog_sync_run(source=source, catalog=catalog, triggered_by="test", **kwargs)


def by_model(catalog):
    return Counter(p.red_model for p in remote_products(catalog))


def test_publish_then_noop_sync_makes_no_write(product, trade_staff, source, catalog, categories):
    make_export(product, trade_staff)
    first = sync(source, catalog)
    assert first.counts[ADD] == 1
    assert first.write_calls == 2  # one image upload, one add
    listing = Listing.objects.get()
    assert listing.remote_id and listing.online and listing.state == Listing.State.LIVE
    remote = catalog.client.get_product(listing.remote_id)
    assert remote.model_number == listing.model_number
    assert remote.subject == "Vietnam ST25 Fragrant Rice 5 kg Bag"
    assert [str(t.price) for t in remote.price_tiers] == ["7.80", "7.41"]

    again = sync(source, catalog)
    assert again.write_calls == 0
    assert again.counts[ADD] == again.counts[UPDATE] == 0
    assert again.run.unchanged == 1


def test_edit_sends_one_update_with_the_new_content(product, trade_staff, source, catalog, categories):
    from catalog_sync.services import export_profile_update

    profile = make_export(product, trade_staff)
    sync(source, catalog)
    export_profile_update(actor=trade_staff, source=source, profile=profile,
                          data={"title_en": "Vietnam ST25 Rice Premium Grade"})
    preview = sync(source, catalog, dry_run=True)
    [change] = preview.by_action(UPDATE)
    assert ("subject", "Vietnam ST25 Fragrant Rice 5 kg Bag", "Vietnam ST25 Rice Premium Grade") in change.diff
    assert preview.write_calls == 0
    report = sync(source, catalog)
    assert report.counts[UPDATE] == 1 and report.write_calls == 1  # the image is not uploaded again
    listing = Listing.objects.get()
    assert catalog.client.get_product(listing.remote_id).subject == "Vietnam ST25 Rice Premium Grade"
    assert by_model(catalog) == {listing.model_number: 1}


@pytest.mark.parametrize("cause", ["deselect", "stock_out", "suspend", "unpublish"])
def test_listing_goes_offline_remotely(cause, product, trade_staff, source, catalog, categories):
    from catalog_sync.services import export_profiles_select

    make_export(product, trade_staff)
    sync(source, catalog)
    if cause == "deselect":
        export_profiles_select(actor=trade_staff, source=source, product_ids=[product.pk], selected=False)
    elif cause == "stock_out":
        Stock.objects.filter(product_variant__product=product).update(quantity=0)
    elif cause == "suspend":
        product.cooperative.status = "suspended"
        product.cooperative.save()
    else:
        product.channel_listings.update(is_published=False)
    report = sync(source, catalog)
    assert report.counts[OFFLINE] == 1
    listing = Listing.objects.get()
    assert not listing.online and listing.state == Listing.State.OFFLINE
    assert catalog.client.get_product(listing.remote_id).display == "N"
    assert sync(source, catalog).write_calls == 0
    # back again: online with one call, no second product
    if cause == "deselect":
        export_profiles_select(actor=trade_staff, source=source, product_ids=[product.pk], selected=True)
    elif cause == "stock_out":
        Stock.objects.filter(product_variant__product=product).update(quantity=5)
    elif cause == "suspend":
        product.cooperative.status = "approved"
        product.cooperative.save()
    else:
        product.channel_listings.update(is_published=True)
    assert sync(source, catalog).write_calls == 1
    assert catalog.client.get_product(listing.remote_id).display == "Y"
    assert len(remote_products(catalog)) == 1


def test_not_ready_listing_is_not_published(product, trade_staff, source, catalog, categories):
    make_export(product, trade_staff, hs_code="")
    report = sync(source, catalog)
    assert report.write_calls == 0
    [change] = report.changes
    assert change.action == "blocked"
    assert [d.field for d in change.diagnostics] == ["hs_code"]
    assert remote_products(catalog) == []


def test_lost_reply_after_add_is_recovered_without_a_second_product(product, trade_staff, source, catalog,
                                                                    sandbox, categories):
    make_export(product, trade_staff)
    sandbox.knobs(lose_next_replies=1, lose_reply_methods=["alibaba.icbu.product.add"])
    report = sync(source, catalog)
    listing = Listing.objects.get()
    assert report.counts["recover"] == 1  # looked up by model number in the same run
    assert listing.remote_id and listing.state == Listing.State.LIVE
    assert sync(source, catalog).write_calls == 0
    assert by_model(catalog) == {listing.model_number: 1}


def test_worker_killed_after_announcing_adds_leaves_no_duplicate(coop, channel, trade_staff, source, catalog,
                                                                 categories):
    """Simulates a crash between the platform's accepting an add and our storing its id."""
    from tests.factories import make_product

    products = [make_product(coop, channel, name=f"Gạo {i}", price=100_000 + i, stock=5) for i in range(3)]
    for p in products:
        make_export(p, trade_staff, title_en=f"Rice lot {p.pk}")
    sync(source, catalog)
    first_ids = set(Listing.objects.values_list("remote_id", flat=True))
    # Pretend the worker died right after product 0's add went through: the intent is stored, the id is not.
    crashed = Listing.objects.get(profile__product_id=products[0].pk)
    Listing.objects.filter(pk=crashed.pk).update(remote_id="", state=Listing.State.ADDING,
                                                 add_started_at=timezone.now(), pending_hash=crashed.content_hash,
                                                 content_hash="")
    report = sync(source, catalog)
    assert report.counts["recover"] == 1 and report.counts[ADD] == 0
    assert set(Listing.objects.values_list("remote_id", flat=True)) == first_ids
    assert sorted(by_model(catalog).values()) == [1, 1, 1]


def test_failing_platform_converges_to_the_selection(coop, channel, trade_staff, source, sandbox, categories,
                                                     settings):
    from catalog_sync.services import export_profiles_select
    from tests.factories import make_product

    products = [make_product(coop, channel, name=f"Hồ tiêu {i}", price=200_000, stock=5) for i in range(12)]
    for p in products:
        make_export(p, trade_staff, title_en=f"Black pepper lot {p.pk}")
    deselected = products[:3]
    sandbox.knobs(fault_rate=0.3, fault_modes=["isp", "unavailable", "http503", "drop"], seed=11)
    settings.CATALOG_SYNC_MAX_ATTEMPTS = 2
    settings.CATALOG_SYNC_SETTLE_SECONDS = 0  # the sandbox answers only after finishing a call
    for round_ in range(12):
        if round_ == 2:
            export_profiles_select(actor=trade_staff, source=source, product_ids=[p.pk for p in deselected],
                                   selected=False)
        catalog = B2BCatalog()
        try:
            sync(source, catalog)
        finally:
            catalog.close()
        pending = Listing.objects.exclude(state__in=[Listing.State.LIVE, Listing.State.OFFLINE]).count()
        if round_ >= 2 and pending == 0 and not Listing.objects.filter(profile__selected=False, online=True).exists():
            break
    sandbox.knobs(fault_rate=0.0)
    catalog = B2BCatalog()
    remote = remote_products(catalog)
    catalog.close()
    online = sorted(p.red_model for p in remote if p.display == "Y")
    expected = sorted(Listing.objects.filter(profile__selected=True).values_list("model_number", flat=True))
    assert online == expected
    assert max(Counter(p.red_model for p in remote).values()) == 1  # no duplicates despite dropped replies
    assert SyncAttempt.objects.exclude(outcome="ok").exists()  # the faults really happened


def test_full_reconciliation_repairs_drift_both_ways(coop, channel, product, trade_staff, source, catalog,
                                                      categories):
    from tests.factories import make_product

    other = make_product(coop, channel, name="Cà phê", price=150_000, stock=5)
    make_export(product, trade_staff)
    make_export(other, trade_staff, title_en="Robusta coffee beans", remote_category=100000007)
    sync(source, catalog)
    gone, stray_source = Listing.objects.order_by("pk")
    # drift 1: a listing deleted on the platform behind our back
    catalog.client.delete_products([gone.remote_id])
    # drift 2: a product on the platform nobody selected (e.g. made by hand)
    stray = catalog.add({**stray_source.published_payload, "subject": "Hand made listing",
                         "attributes": [{"attribute_name": "Place of Origin", "value_name": "Vietnam"}]})
    assert sync(source, catalog).write_calls == 0  # a normal sync trusts its own records
    report = sync(source, catalog, full=True)
    assert report.counts["extra_offline"] == 1
    assert report.counts[ADD] == 1
    assert catalog.client.get_product(stray).display == "N"
    online = {p.red_model for p in remote_products(catalog) if p.display == "Y"}
    assert online == set(Listing.objects.values_list("model_number", flat=True))


def test_review_outcome_is_pulled_back(product, trade_staff, source, catalog, sandbox, categories):
    from catalog_sync.services import reviews_pull

    sandbox.knobs(prohibited_words=["fragrant"])
    make_export(product, trade_staff)
    sync(source, catalog)
    assert reviews_pull(catalog=catalog) == 1
    listing = Listing.objects.get()
    assert listing.review == Listing.Review.REJECTED
    assert "REVIEW_PROHIBITED_WORD" in {r["code"] for r in listing.review_reasons}


def test_business_error_marks_failed_with_platform_message_and_retry_resets(product, trade_staff, source, catalog,
                                                                           categories):
    from catalog_sync.services import listings_retry_failed

    make_export(product, trade_staff, certifications=["Kosher"])  # not an allowed value of the category
    # readiness would catch it; bypass it to see the platform's own refusal handled
    from catalog_sync.models import RemoteCategory
    RemoteCategory.objects.filter(pk=100000001).update(attributes=[])
    report = sync(source, catalog)
    listing = Listing.objects.get()
    assert report.counts["failed"] == 1
    assert listing.state == Listing.State.FAILED and "Kosher" in listing.last_error
    assert sync(source, catalog).write_calls == 0  # the same refused content is not sent again
    assert listings_retry_failed(actor=trade_staff, source=source) == 1
    assert sync(source, catalog).write_calls == 1


def test_unchanged_inputs_skip_the_rebuild_and_any_changed_input_is_sent(product, trade_staff, source, catalog,
                                                                         categories, monkeypatch):
    import catalog_sync.sync as sync_module
    from catalog_sync.models import ExportProfile

    make_export(product, trade_staff)
    sync(source, catalog)
    assert Listing.objects.get().input_hash
    built = []
    real_build = sync_module.build_listing
    monkeypatch.setattr(sync_module, "build_listing", lambda *a, **k: built.append(1) or real_build(*a, **k))
    Stock.objects.filter(product_variant__product=product).update(quantity=77)  # stock does not shape a listing
    again = sync(source, catalog)
    assert again.write_calls == 0 and again.run.unchanged == 1 and built == []
    # A change that bypasses the services (no updated_at bump) still changes the fingerprint.
    ExportProfile.objects.filter(product_id=product.pk).update(packaging="10 kg cartons")
    changed = sync(source, catalog)
    assert changed.counts[UPDATE] == 1 and changed.write_calls == 1 and built == [1]
    listing = Listing.objects.get()
    assert catalog.client.get_product(listing.remote_id).sourcing_trade.packaging_desc == "10 kg cartons"
    # So does a change on the shop's side: the cooperative's name is in the listing's description.
    product.cooperative.name = "HTX Renamed"
    product.cooperative.save(update_fields=["name"])
    assert sync(source, catalog).counts[UPDATE] == 1
