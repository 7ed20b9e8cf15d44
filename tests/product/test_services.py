import pytest
from django.core.exceptions import ValidationError

from storefront.product.models import Collection, ComboComponent, Product, ProductChannelListing, ProductVariant
from storefront.product.services import (collection_add_products, collection_channel_listing_update,
                                         collection_create, collection_remove_products, combo_components_update,
                                         combo_create,
                                         product_channel_listing_update, product_create, product_delete,
                                         product_update, variant_channel_listing_update, variant_create,
                                         variant_stocks_update)
from storefront.warehouse.models import Stock

pytestmark = pytest.mark.django_db


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def test_product_create_fills_slug_search_text_and_standards(coop, coop_staff):
    product = product_create(actor=coop_staff, cooperative=coop, data={
        "name": "Gạo ST25 Đặc biệt", "standards": ["VietGAP", "OCOP 5 sao"], "origin_province": "Cần Thơ",
        "weight_g": "5080", "unit_label": "túi 5 kg",
    })
    assert product.slug == "gao-st25-dac-biet"
    assert product.standards == ["VietGAP", "OCOP"] and product.ocop_stars == 5
    assert product.origin_province_id == "92" and product.weight_g == 5080
    assert "gao st25 dac biet" in product.search_text and "vinh binh" in product.search_text
    assert "vietgap" in product.search_text and "can tho" in product.search_text
    again = product_create(actor=coop_staff, cooperative=coop, data={"name": "Gạo ST25 đặc biệt"})
    assert again.slug == "gao-st25-dac-biet-2"


@pytest.mark.parametrize("data, field, code", [
    ({"name": ""}, "name", "required"),
    ({"name": "X", "standards": ["Halal"]}, "standards", "invalid"),
    ({"name": "X", "standards": ["OCOP"]}, "ocop_stars", "required"),
    ({"name": "X", "ocop_stars": 6}, "ocop_stars", "invalid"),
    ({"name": "X", "origin_province": "Atlantis"}, "origin_province", "invalid"),
    ({"name": "X", "weight_g": -1}, "weight_g", "invalid"),
    ({"name": "X", "weight_g": 1.5}, "weight_g", "invalid"),
    ({"name": "X", "category": "khong-co"}, "category", "not_found"),
    ({"name": "X", "slug": "Có Dấu"}, "slug", "invalid"),
])
def test_product_create_rejects_bad_input_and_writes_nothing(coop, coop_staff, data, field, code):
    before = Product.objects.count()
    with pytest.raises(ValidationError) as exc:
        product_create(actor=coop_staff, cooperative=coop, data=data)
    assert codes(exc.value) == {field: [code]}
    assert Product.objects.count() == before


def test_product_with_its_first_variant_both_or_neither(coop, coop_staff, channel):
    warehouse = coop.warehouses.first()
    product = product_create(actor=coop_staff, cooperative=coop, data={"name": "Bưởi da xanh"}, first_variant={
        "sku": "BUOI-1", "channel_listings": [{"channel": channel, "price": 60_000}], "stocks": [(warehouse, 7)]})
    variant = product.variants.get()
    assert (variant.sku, Stock.objects.get(product_variant=variant).quantity) == ("BUOI-1", 7)
    before = Product.objects.count()
    with pytest.raises(ValidationError) as exc:  # the SKU is taken: the product is not kept either
        product_create(actor=coop_staff, cooperative=coop, data={"name": "Bưởi lần hai"},
                       first_variant={"sku": "BUOI-1"})
    assert "sku" in exc.value.error_dict
    assert Product.objects.count() == before


def test_variant_row_saved_whole_or_not_at_all(coop, coop_staff, channel, product):
    from storefront.product.services import variant_price_and_stock_update

    variant = product.variants.get()
    warehouse = coop.warehouses.first()
    variant_price_and_stock_update(actor=coop_staff, variant=variant, channel=channel, name="Bao 5 kg",
                                   price=120_000, stocks=[(warehouse, 12)])
    variant.refresh_from_db()
    assert variant.name == "Bao 5 kg" and Stock.objects.get(product_variant=variant).quantity == 12
    assert variant.channel_listings.get(channel=channel).price_amount == 120_000
    with pytest.raises(ValidationError):  # a bad quantity: neither the name nor the price change
        variant_price_and_stock_update(actor=coop_staff, variant=variant, channel=channel, name="Đổi tên",
                                       price=99_000, stocks=[(warehouse, -1)])
    variant.refresh_from_db()
    assert variant.name == "Bao 5 kg" and variant.channel_listings.get(channel=channel).price_amount == 120_000


def test_variant_prices_keep_the_listing_cheapest_price(coop, coop_staff, channel):
    product = product_create(actor=coop_staff, cooperative=coop, data={"name": "Bưởi"})
    small = variant_create(actor=coop_staff, product=product, data={
        "sku": "BUOI-1", "channel_listings": [{"channel": channel, "price": 75_000, "compare_at_price": 90_000}],
        "stocks": [(coop.warehouses.get(), 40)],
    })
    variant_create(actor=coop_staff, product=product, data={
        "sku": "BUOI-2", "channel_listings": [{"channel": channel, "price": 140_000}],
    })
    listing = ProductChannelListing.objects.get(product=product, channel=channel)
    assert listing.discounted_price_amount == 75_000 and not listing.is_published
    variant_channel_listing_update(actor=coop_staff, variant=small, channel=channel, price=160_000)
    listing.refresh_from_db()
    assert listing.discounted_price_amount == 140_000
    assert Stock.objects.get(product_variant=small).quantity == 40


@pytest.mark.parametrize("price, compare_at, field, code", [
    (0, None, "price", "invalid_price"),
    (-5, None, "price", "invalid_price"),
    (10.5, None, "price", "invalid_price"),
    (10**20, None, "price", "invalid_price"),
    ("abc", None, "price", "invalid_price"),
    (50_000, 40_000, "compare_at_price", "invalid_price"),
])
def test_bad_prices_are_refused(variant, channel, coop_staff, price, compare_at, field, code):
    with pytest.raises(ValidationError) as exc:
        variant_channel_listing_update(actor=coop_staff, variant=variant, channel=channel, price=price,
                                       compare_at_price=compare_at)
    assert codes(exc.value) == {field: [code]}
    assert variant.channel_listings.get().price_amount == 195_000


def test_sku_is_unique_case_insensitively(product, coop_staff, variant):
    with pytest.raises(ValidationError) as exc:
        variant_create(actor=coop_staff, product=product, data={"sku": variant.sku.lower()})
    assert codes(exc.value) == {"sku": ["unique"]}


def test_stock_update_checks_warehouse_owner_and_allocations(variant, coop_staff, other_coop):
    stock = Stock.objects.get(product_variant=variant)
    variant_stocks_update(actor=coop_staff, variant=variant, stocks=[(stock.warehouse, 25)])
    stock.refresh_from_db()
    assert stock.quantity == 25
    with pytest.raises(ValidationError) as exc:
        variant_stocks_update(actor=coop_staff, variant=variant, stocks=[(other_coop.warehouses.get(), 5)])
    assert codes(exc.value) == {"stocks": ["invalid"]}
    Stock.objects.filter(pk=stock.pk).update(quantity_allocated=20)
    with pytest.raises(ValidationError) as exc:
        variant_stocks_update(actor=coop_staff, variant=variant, stocks=[(stock.warehouse, 10)])
    assert codes(exc.value) == {"quantity": ["invalid"]}
    with pytest.raises(ValidationError):
        variant_stocks_update(actor=coop_staff, variant=variant, stocks=[(stock.warehouse, -1)])
    stock.refresh_from_db()
    assert stock.quantity == 25


def test_publishing_needs_category_and_priced_variant(coop, coop_staff, channel):
    product = product_create(actor=coop_staff, cooperative=coop, data={"name": "Chưa đủ"})
    with pytest.raises(ValidationError) as exc:
        product_channel_listing_update(actor=coop_staff, product=product, channel=channel, is_published=True)
    assert codes(exc.value) == {"is_published": ["product_without_category"]}
    from tests.factories import _default_category

    product_update(actor=coop_staff, product=product, data={"category": _default_category()})
    with pytest.raises(ValidationError) as exc:
        product_channel_listing_update(actor=coop_staff, product=product, channel=channel, is_published=True)
    assert codes(exc.value) == {"is_published": ["cannot_manage_product_without_variant"]}
    variant_create(actor=coop_staff, product=product, data={"sku": "DU-1", "channel_listings": [
        {"channel": channel, "price": 10_000}]})
    listing = product_channel_listing_update(actor=coop_staff, product=product, channel=channel, is_published=True,
                                             is_available_for_purchase=True)
    assert listing.is_published and listing.published_at and listing.available_for_purchase_at


def test_combo_create_from_several_cooperatives_by_program_staff(program_staff, coop, product, other_coop,
                                                                 channel):
    from tests.factories import make_product

    veg = make_product(other_coop, channel, name="Cà rốt", price=25_000, weight_g=1000)
    combo = combo_create(actor=program_staff, cooperative=coop, data={
        "name": "Combo tuần này", "channel_listings": [{"channel": channel, "price": 199_000}],
    }, components=[(product.variants.get(), 1), (veg.variants.get(), 2)])
    variant = combo.variants.get()
    assert combo.is_combo and not variant.track_inventory
    assert {(c.component_id, c.quantity) for c in variant.combo_components.all()} == {
        (product.variants.get().pk, 1), (veg.variants.get().pk, 2)}
    assert combo.weight_g == 1000 + 2 * 1000
    assert ProductChannelListing.objects.get(product=combo).discounted_price_amount == 199_000


def test_combo_by_sku_published_at_once(program_staff, coop, product, other_coop, channel):
    from tests.factories import _default_category, make_product

    veg = make_product(other_coop, channel, name="Cà rốt", price=25_000)
    combo = combo_create(actor=program_staff, cooperative=coop, data={
        "name": "Combo SKU", "category": _default_category(),
        "channel_listings": [{"channel": channel, "price": 99_000, "is_published": True}],
    }, components=[(product.variants.get().sku.lower(), 1), (f" {veg.variants.get().sku} ", 2)])
    assert {(c.component_id, c.quantity) for c in combo.variants.get().combo_components.all()} == {
        (product.variants.get().pk, 1), (veg.variants.get().pk, 2)}
    listing = ProductChannelListing.objects.get(product=combo, channel=channel)
    assert listing.is_published and listing.available_for_purchase_at is not None


def test_combo_with_unknown_skus_names_them_and_writes_nothing(program_staff, coop, product, channel):
    before = (Product.objects.count(), ProductVariant.objects.count())
    with pytest.raises(ValidationError) as exc:
        combo_create(actor=program_staff, cooperative=coop, data={"name": "Combo lỗi"},
                     components=[(product.variants.get().sku, 1), ("KHONG-CO", 1), ("CUNG-KHONG", 2)])
    assert codes(exc.value) == {"components": ["not_found"]}
    assert "KHONG-CO, CUNG-KHONG" in exc.value.error_dict["components"][0].message
    assert (Product.objects.count(), ProductVariant.objects.count()) == before


def test_combo_that_cannot_be_published_is_not_created(program_staff, coop, product, channel):
    # No category: publishing fails, so the combo made in the same call is rolled back.
    before = Product.objects.count()
    with pytest.raises(ValidationError) as exc:
        combo_create(actor=program_staff, cooperative=coop, data={
            "name": "Combo không danh mục", "channel_listings": [{"channel": channel, "price": 1, "is_published": True}],
        }, components=[(product.variants.get(), 1)])
    assert codes(exc.value) == {"is_published": ["product_without_category"]}
    assert Product.objects.count() == before


@pytest.mark.parametrize("bad", ["combo", "zero", "dup", "empty", "float"])
def test_combo_components_are_validated(bad, program_staff, coop, product, combo, channel):
    rice = product.variants.get()
    components = {
        "combo": [(combo.variants.get(), 1)],
        "zero": [(rice, 0)],
        "dup": [(rice, 1), (rice, 2)],
        "empty": [],
        "float": [(rice, 1.5)],
    }[bad]
    before = (Product.objects.count(), ProductVariant.objects.count(), ComboComponent.objects.count())
    with pytest.raises(ValidationError) as exc:
        combo_create(actor=program_staff, cooperative=coop, data={"name": "Combo lỗi"}, components=components)
    assert "components" in exc.value.error_dict
    assert (Product.objects.count(), ProductVariant.objects.count(), ComboComponent.objects.count()) == before


def test_cooperative_combines_only_its_own_products(coop_staff, coop, product, other_coop, channel):
    from tests.factories import make_product

    foreign = make_product(other_coop, channel, name="Rau của HTX khác", price=10_000)
    with pytest.raises(ValidationError) as exc:
        combo_create(actor=coop_staff, cooperative=coop, data={"name": "Combo"},
                     components=[(product.variants.get(), 1), (foreign.variants.get(), 1)])
    assert codes(exc.value) == {"components": ["invalid_combo_component"]}
    own = combo_create(actor=coop_staff, cooperative=coop, data={"name": "Combo gạo"},
                       components=[(product.variants.get(), 2)])
    assert own.is_combo
    combo_components_update(actor=coop_staff, combo=own, components=[(product.variants.get(), 3)])
    assert own.variants.get().combo_components.get().quantity == 3


def test_product_in_a_combo_cannot_be_deleted(combo, coop_staff):
    rice = combo.variants.get().combo_components.order_by("pk").first().component.product
    with pytest.raises(ValidationError) as exc:
        product_delete(actor=coop_staff, product=rice)
    assert codes(exc.value) == {"id": ["product_in_use"]}


def test_collections_are_program_staff_only(program_staff, coop_staff, product, channel):
    from django.core.exceptions import PermissionDenied

    collection = collection_create(actor=program_staff, data={"name": "OCOP 5 sao", "is_featured": True},
                                   products=[product])
    collection_add_products(actor=program_staff, collection=collection, products=[product])
    assert list(collection.products.all()) == [product]
    collection_channel_listing_update(actor=program_staff, collection=collection, channel=channel, is_published=True)
    from storefront.product.selectors import collections_featured, products_filter

    assert list(collections_featured(channel=channel)) == [collection]
    assert list(products_filter(channel=channel, collection=collection)) == [product]
    with pytest.raises(PermissionDenied):
        collection_create(actor=coop_staff, data={"name": "Của tôi"})


def test_collection_by_slugs_published_in_channels(program_staff, product, combo, channel):
    from storefront.product.models import CollectionChannelListing

    collection = collection_create(actor=program_staff, data={"name": "Tết"}, products=[combo.slug, product.slug],
                                   published_in=[channel])
    assert list(collection.collection_products.order_by("sort_order").values_list("product_id", flat=True)) == [
        combo.pk, product.pk]
    assert CollectionChannelListing.objects.get(collection=collection, channel=channel).is_published
    collection_remove_products(actor=program_staff, collection=collection, products=[combo.slug])
    assert list(collection.products.all()) == [product]
    with pytest.raises(ValidationError) as exc:
        collection_add_products(actor=program_staff, collection=collection, products=["khong-co", product.slug])
    assert codes(exc.value) == {"products": ["not_found"]}
    before = Collection.objects.count()
    with pytest.raises(ValidationError):
        collection_create(actor=program_staff, data={"name": "Lỗi"}, products=["khong-co"], published_in=[channel])
    assert Collection.objects.count() == before


def test_denormalised_refresh_after_an_edit_outside_the_services(product, channel):
    from storefront.product.selectors import product_search
    from storefront.product.services import product_denormalised_refresh

    Product.objects.filter(pk=product.pk).update(name="Nếp than", standards=["VietGAP"])
    product.refresh_from_db()
    product.variants.get().channel_listings.update(price_amount=99_000)
    product_denormalised_refresh(product=product)
    assert list(product_search(channel=channel, query="nep than vietgap")) == [product]
    assert ProductChannelListing.objects.get(product=product).discounted_price_amount == 99_000
