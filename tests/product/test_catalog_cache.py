"""The catalog version: every write to what shoppers see of the catalog changes it; orders do not."""
import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from storefront.order.services import order_cancel
from storefront.product.catalog_cache import bump_catalog_version, cached, catalog_version
from storefront.product.models import ProductMedia
from storefront.product.services import (collection_add_products, collection_create, combo_components_update,
                                         product_media_reorder, products_refresh_search_text)
from tests.checkout.helpers import place_order
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def _changes(action) -> bool:
    before = catalog_version()
    action()
    return catalog_version() != before


def test_a_cached_answer_is_computed_once_per_version():
    calls = []
    assert cached("test", ("a", 1), lambda: calls.append(1) or len(calls)) == 1
    assert cached("test", ("a", 1), lambda: calls.append(1) or len(calls)) == 1
    assert cached("test", ("a", 2), lambda: calls.append(1) or len(calls)) == 2  # other key
    bump_catalog_version()
    assert cached("test", ("a", 1), lambda: calls.append(1) or len(calls)) == 3


def test_model_saves_and_deletes_of_catalog_cooperative_and_channel_rows_bump_it(product, coop, channel):
    assert _changes(lambda: product.save())
    assert _changes(lambda: coop.save())
    assert _changes(lambda: channel.save())
    variant = product.variants.get()
    assert _changes(lambda: variant.channel_listings.get().delete())


def test_bulk_writes_of_the_services_bump_it(product, combo, coop, coop_staff, program_staff):
    first = ProductMedia.objects.create(product=product, image=ContentFile(b"x", name="a.jpg"))
    second = ProductMedia.objects.create(product=product, image=ContentFile(b"x", name="b.jpg"))
    assert _changes(lambda: product_media_reorder(actor=coop_staff, product=product,
                                                  media_ids=[second.pk, first.pk]))
    components = [(c.component, c.quantity) for c in combo.variants.get().combo_components.all()]
    assert _changes(lambda: combo_components_update(actor=program_staff, combo=combo, components=components))
    collection = collection_create(actor=program_staff, data={"name": "OCOP 5 sao"})
    assert _changes(lambda: collection_add_products(actor=program_staff, collection=collection, products=[product]))
    coop.name = "HTX đổi tên"
    coop.save()
    assert _changes(lambda: products_refresh_search_text(cooperative=coop))


@pytest.mark.django_db(transaction=True)  # real commits: on_commit callbacks run
def test_a_transaction_bumps_again_when_it_commits_once_for_all_its_writes(product):
    # A reader may cache what it read before the commit under the first bump; the bump at commit
    # makes that entry unreachable.
    with transaction.atomic():
        start = catalog_version()
        product.save()
        product.save()
        during = catalog_version()
    assert during == start + 2  # at once, per write
    assert catalog_version() == during + 1  # and once more at commit


def test_orders_and_cancellations_leave_it_alone(channel, variant, shipping_method, program_staff):
    # Stock is read live, so a sale need not throw away every cached listing.
    before = catalog_version()
    order = place_order(channel, [(variant.pk, 2)])
    order_cancel(order=order, actor=program_staff, reason="test")
    assert catalog_version() == before


def test_new_products_are_seen_by_the_next_listing(coop, channel):
    from storefront.product.selectors import products_filter

    def count():
        return cached("test-count", channel.pk, lambda: products_filter(channel=channel).count())

    make_product(coop, channel, name="Gạo A", price=10_000)
    assert count() == 1
    make_product(coop, channel, name="Gạo B", price=10_000)
    assert count() == 2


def test_cached_values_are_keyed_by_the_catalog_models_fields(monkeypatch):
    from storefront.product import catalog_cache

    assert cached("test-schema", 1, lambda: "old release") == "old release"
    # A release with other fields (its pickled instances would not fit) reads its own entries.
    monkeypatch.setattr(catalog_cache, "_schema", lambda: "another-release")
    assert cached("test-schema", 1, lambda: "new release") == "new release"


def test_models_outside_the_catalog_keep_their_fast_delete():
    from django.db.models.signals import post_delete

    from storefront.checkout.models import CheckoutLine
    from storefront.product.models import Product
    from storefront.warehouse.models import Allocation

    assert post_delete.has_listeners(Product)
    assert not post_delete.has_listeners(CheckoutLine) and not post_delete.has_listeners(Allocation)


def test_many_to_many_changes_bump_it(product):
    from storefront.product.models import Attribute, AttributeValue

    value = AttributeValue.objects.create(attribute=Attribute.objects.create(slug="mau", name="Màu"),
                                          name="Xanh", slug="xanh")
    bump_catalog_version()
    assert _changes(lambda: product.attributes.add(value))
    assert _changes(lambda: product.attributes.remove(value))


def test_a_request_reads_one_catalog_version(product):
    from django.core.cache import cache

    from storefront.product import catalog_cache

    catalog_cache.request_started()
    try:
        version = catalog_version()
        cache.incr(catalog_cache.VERSION_KEY)  # another process writes to the catalog meanwhile
        assert catalog_version() == version  # this request goes on reading the catalog it started with
        product.save()  # this request writes: its own next read must see it
        assert catalog_version() > version + 1
    finally:
        catalog_cache.request_finished()
    assert catalog_version() == cache.get(catalog_cache.VERSION_KEY)  # outside a request: the current one


def test_the_test_client_pins_a_version_per_request(client, product, monkeypatch):
    from storefront.product import catalog_cache

    reads = []
    real = catalog_cache._read_version
    monkeypatch.setattr(catalog_cache, "_read_version", lambda: reads.append(1) or real())
    bump_catalog_version()  # nothing cached: the page makes many cached reads
    assert client.get(f"/san-pham/{product.slug}/").status_code == 200
    assert len(reads) == 1
