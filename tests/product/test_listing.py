"""The catalog read model: listing ids as a paginator reads them, cards and the product page as
plain data, cached for shoppers under the catalog version, never for staff or a stock filter."""
import pickle

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storefront.product.listing import category_page, product_cards, product_listing, product_page
from storefront.product.models import ProductMedia, ProductMediaThumbnail
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def _statements(action):
    with CaptureQueriesContext(connection) as ctx:
        result = action()
    return len(ctx.captured_queries), result


def test_listing_ids_count_and_slices_are_cached_per_filter(coop, channel):
    for i in range(5):
        make_product(coop, channel, name=f"Gạo {i}", price=10_000 * (i + 1))
    cheap = product_listing(channel=channel, actor=None, price_max=30_000, sort="price")
    assert cheap.count() == 3 and len(cheap[0:2]) == 2
    names = [card.product.name for card in product_cards(cheap[0:3], channel=channel, actor=None)]
    assert names == ["Gạo 0", "Gạo 1", "Gạo 2"]
    again = product_listing(channel=channel, actor=None, price_max=30_000, sort="price")
    assert _statements(lambda: (again.count(), again[0:2])) == (0, (3, cheap[0:2]))  # cached
    other = product_listing(channel=channel, actor=None, price_max=20_000, sort="price")
    assert other.count() == 2  # another filter, another key


def test_a_stock_filter_and_staff_read_the_database(coop, channel, coop_staff):
    make_product(coop, channel, name="Gạo", price=10_000)
    hidden = make_product(coop, channel, name="Nháp", price=10_000, published=False)
    in_stock = product_listing(channel=channel, actor=None, in_stock=True)
    in_stock.count()
    assert _statements(in_stock.count)[0] == 1  # stock is never cached
    staff = product_listing(channel=channel, actor=coop_staff)
    assert staff.count() == 2 and hidden.pk in staff[0:5]
    assert _statements(staff.count)[0] == 1


def test_a_search_counts_its_matches_with_its_first_page(coop, channel):
    for i in range(4):
        make_product(coop, channel, name=f"Cà phê {i}", price=10_000)
    found = product_listing(channel=channel, actor=None, query="ca phe", first_page_size=2)
    count, _ = _statements(lambda: (found[0:2], found.count()))
    # One query for the page and its count (on PostgreSQL, after the search's word-or-typo check).
    from django.db import connection

    assert count == 1 + (connection.vendor == "postgresql") and found.count() == 4


def test_a_cached_search_runs_no_query(coop, channel):
    make_product(coop, channel, name="Cà phê Cầu Đất", price=10_000)
    assert list(product_listing(channel=channel, actor=None, query="ca phe")[0:24])
    # Building the listing is counted too: a search's queryset is only built on a cache miss.
    count, ids = _statements(lambda: product_listing(channel=channel, actor=None, query="ca phe")[0:24])
    assert count == 0 and len(ids) == 1


def test_cards_are_plain_data_in_a_fixed_number_of_queries(coop, channel):
    products = [make_product(coop, channel, name=f"Mật ong {i}", price=50_000 + i) for i in range(3)]
    for product in products:
        media = ProductMedia.objects.create(product=product, image=ContentFile(b"x", name="m.jpg"), alt="ảnh")
        ProductMediaThumbnail.objects.create(media=media, size=256, format="WEBP",
                                             image=ContentFile(b"y", name="m-256.webp"))
    ids = [p.pk for p in reversed(products)]
    count, cards = _statements(lambda: product_cards(ids, channel=channel, actor=None))
    assert count == 4  # products with their joins, media, thumbnails, variants with their prices (joined)
    assert [c.product.pk for c in cards] == ids
    card = cards[0]
    assert card.price == 50_002 and card.first_variant.product_id == ids[0]
    assert card.image_url(256).endswith(".webp") and card.image_alt == "ảnh"
    assert card.variant_listings[card.first_variant.pk].price_amount == 50_002
    # Relations are held by the card, not written into Django's private caches of the instances.
    for instance in (card.product, *card.media, *card.variants):
        assert not hasattr(instance, "_prefetched_objects_cache")
    assert pickle.loads(pickle.dumps(card)).image_url(256) == card.image_url(256)
    assert _statements(lambda: product_cards(ids, channel=channel, actor=None))[0] == 0  # cached


def test_card_variant_prices_are_the_channels_rows_read_with_the_variants(coop, channel):
    from storefront.channel.models import Channel
    from storefront.product.models import ProductVariant, ProductVariantChannelListing

    product = make_product(coop, channel, name="Mật ong rừng", price=120_000)
    priced = product.variants.get()
    ProductVariantChannelListing.objects.filter(variant=priced).update(compare_at_amount=150_000,
                                                                       cost_price_amount=90_000)
    unpriced = ProductVariant.objects.create(product=product, sku="MO-2", sort_order=1)  # no price in the channel
    other = Channel.objects.create(name="Kênh khác", slug="kenh-khac-the", currency_code="VND")
    ProductVariantChannelListing.objects.create(variant=unpriced, channel=other, price_amount=1)
    count, (card,) = _statements(lambda: product_cards([product.pk], channel=channel, actor=None))
    assert count == 3  # products, media, variants with their prices: no statement for the prices
    assert card.variants == [priced, unpriced] and set(card.variant_listings) == {priced.pk}
    listing, stored = card.variant_listings[priced.pk], ProductVariantChannelListing.objects.get(variant=priced,
                                                                                                 channel=channel)
    fields = [f.attname for f in ProductVariantChannelListing._meta.concrete_fields]
    assert [getattr(listing, f) for f in fields] == [getattr(stored, f) for f in fields]
    assert listing == stored and not listing._state.adding
    assert not [name for name in vars(card.variants[0]) if name.startswith("_listing")]  # nothing left on the variant
    # The other channel reads its own row, or none.
    (elsewhere,) = product_cards([product.pk], channel=other, actor=None)
    assert {pk: row.price_amount for pk, row in elsewhere.variant_listings.items()} == {unpriced.pk: 1}


def test_product_page_and_category_page(coop, channel, product):
    page = product_page(channel=channel, actor=None, slug=product.slug, with_certifications=True)
    assert page.product == product and page.card.variants == list(product.variants.all())
    assert product_page(channel=channel, actor=None, pk=product.pk).product == product
    assert product_page(channel=channel, actor=None, slug="khong-co") is None
    found = category_page(product.category.slug)
    assert found.category == product.category and found.subcategories == list(product.category.children.all())
    assert category_page("khong-co") is None


def test_a_catalog_change_shows_in_the_next_read(coop, channel, product):
    assert product_page(channel=channel, actor=None, slug=product.slug).product.name == product.name
    product.name = "Gạo mới"
    product.save()
    assert product_page(channel=channel, actor=None, slug=product.slug).product.name == "Gạo mới"
