"""Catalog reads as a Saleor storefront makes them: listing, filters, sorting, pages, detail."""
import json

import pytest

from storefront.graphql.core.ids import global_id
from tests.factories import make_product

from tests.graphql.queries import PRODUCT_DETAILS, PRODUCTS


def _names(data):
    return [edge["node"]["name"] for edge in data["products"]["edges"]]


def test_product_list_with_pricing_thumbnail_cooperative(gql, product, combo):
    data = gql.execute(PRODUCTS, {"first": 10, "channel": "vietnam"})
    products = data["products"]
    assert products["totalCount"] == 4
    rice = next(e["node"] for e in products["edges"] if e["node"]["slug"] == product.slug)
    assert rice["id"] == global_id("Product", product.pk)
    assert rice["pricing"]["priceRange"]["start"]["gross"] == {"amount": 195000.0, "currency": "VND"}
    assert rice["cooperative"]["province"] == "Thành phố Cần Thơ"
    assert rice["variants"][0]["quantityAvailable"] == 10
    assert rice["isAvailable"] is True and rice["isAvailableForPurchase"] is True
    combo_node = next(e["node"] for e in products["edges"] if e["node"]["slug"] == combo.slug)
    assert combo_node["variants"][0]["quantityAvailable"] == 3


def test_search_is_accent_free(gql, product, combo):
    data = gql.execute(PRODUCTS, {"first": 10, "channel": "vietnam", "search": "gao st25"})
    assert _names(data) == [product.name]


def test_sort_by_price_and_pagination(gql, coop, channel):
    for i, price in enumerate([30_000, 10_000, 20_000]):
        make_product(coop, channel, name=f"Sản phẩm {i}", price=price)
    page1 = gql.execute(PRODUCTS, {"first": 2, "channel": "vietnam",
                                   "sortBy": {"field": "PRICE", "direction": "ASC"}})["products"]
    assert [e["node"]["pricing"]["priceRange"]["start"]["gross"]["amount"] for e in page1["edges"]] == [10000, 20000]
    assert page1["pageInfo"]["hasNextPage"] is True
    page2 = gql.execute(PRODUCTS, {"first": 2, "channel": "vietnam", "after": page1["pageInfo"]["endCursor"],
                                   "sortBy": {"field": "PRICE", "direction": "ASC"}})["products"]
    assert [e["node"]["pricing"]["priceRange"]["start"]["gross"]["amount"] for e in page2["edges"]] == [30000]
    assert page2["pageInfo"]["hasNextPage"] is False and page2["pageInfo"]["hasPreviousPage"] is True
    desc = gql.execute(PRODUCTS, {"first": 3, "channel": "vietnam",
                                  "sortBy": {"field": "PRICE", "direction": "DESC"}})["products"]
    assert desc["edges"][0]["node"]["pricing"]["priceRange"]["start"]["gross"]["amount"] == 30000


def test_filters_price_category_availability_where(gql, coop, channel):
    from storefront.product.models import Category

    fruit = Category.objects.create(name="Trái cây", slug="trai-cay")
    make_product(coop, channel, name="Xoài cát", price=80_000, category=fruit)
    make_product(coop, channel, name="Gạo nếp", price=40_000, stock=0)
    priced = gql.execute(PRODUCTS, {"first": 10, "channel": "vietnam",
                                    "filter": {"price": {"gte": 50000, "lte": 90000}}})
    assert _names(priced) == ["Xoài cát"]
    by_category = gql.execute(PRODUCTS, {"first": 10, "channel": "vietnam",
                                         "filter": {"categories": [global_id("Category", fruit.pk)]}})
    assert _names(by_category) == ["Xoài cát"]
    where = gql.execute(PRODUCTS, {"first": 10, "channel": "vietnam",
                                   "where": {"category": {"eq": global_id("Category", fruit.pk)}}})
    assert _names(where) == ["Xoài cát"]
    in_stock = gql.execute(PRODUCTS, {"first": 10, "channel": "vietnam", "filter": {"stockAvailability": "IN_STOCK"}})
    assert "Gạo nếp" not in _names(in_stock) and "Xoài cát" in _names(in_stock)
    out = gql.execute(PRODUCTS, {"first": 10, "channel": "vietnam", "filter": {"stockAvailability": "OUT_OF_STOCK"}})
    assert _names(out) == ["Gạo nếp"]


def test_unpublished_and_suspended_products_are_hidden(gql, coop, channel):
    from tests.factories import make_cooperative

    make_product(coop, channel, name="Chưa đăng", price=1000, published=False)
    suspended = make_cooperative("HTX tạm ngừng", status="suspended")
    make_product(suspended, channel, name="Của HTX tạm ngừng", price=1000)
    assert gql.execute(PRODUCTS, {"first": 10, "channel": "vietnam"})["products"]["totalCount"] == 0


def test_product_page_by_slug(gql, product, combo):
    data = gql.execute(PRODUCT_DETAILS, {"slug": product.slug, "channel": "vietnam", "lang": "EN"})["product"]
    assert data["name"] == product.name
    assert data["category"]["slug"] == "gao"
    assert data["variants"][0]["pricing"]["price"]["gross"]["amount"] == 195000
    assert data["variants"][0]["pricing"]["price"]["tax"]["amount"] == 0
    assert data["defaultVariant"]["id"] == data["variants"][0]["id"]
    assert data["metadata"] == [] and data["channelListings"] is None
    assert data["weight"] == {"unit": "G", "value": 1000.0}
    assert data["translation"] is None  # no English name was entered
    combo_data = gql.execute(PRODUCT_DETAILS, {"slug": combo.slug, "channel": "vietnam", "lang": "VI"})["product"]
    components = combo_data["variants"][0]["comboComponents"]
    assert sorted(c["quantity"] for c in components) == [1, 2]


def test_product_translation_english(gql, product):
    product.name_en = "ST25 rice, 5 kg bag"
    product.description_en = "Fragrant rice."
    product.save()
    data = gql.execute(PRODUCT_DETAILS, {"slug": product.slug, "channel": "vietnam", "lang": "EN_US"})["product"]
    assert data["translation"]["name"] == "ST25 rice, 5 kg bag"
    # JSONString: Saleor sends rich text as a JSON document inside a string.
    assert json.loads(data["translation"]["description"])["blocks"][0]["data"]["text"] == "Fragrant rice."


def test_product_by_id_and_unknown(gql, product):
    query = "query($id: ID, $slug: String) { product(id: $id, slug: $slug, channel: \"vietnam\") { id name } }"
    assert gql.execute(query, {"id": global_id("Product", product.pk)})["product"]["name"] == product.name
    assert gql.execute(query, {"slug": "khong-co"})["product"] is None
    assert gql.execute(query, {"id": global_id("Product", 999999)})["product"] is None
    body = gql.post(query, {"id": "not-an-id"})
    assert body["data"]["product"] is None and "Couldn't resolve id" in body["errors"][0]["message"]


def test_thumbnail_uses_generated_webp(gql, product, settings):
    from django.core.files.base import ContentFile

    from storefront.product.models import ProductMedia, ProductMediaThumbnail

    media = ProductMedia.objects.create(product=product, alt="Gạo", image=ContentFile(b"x", name="rice.jpg"))
    ProductMediaThumbnail.objects.create(media=media, size=256, format="WEBP",
                                         image=ContentFile(b"y", name="rice-256.webp"))
    data = gql.execute(PRODUCTS, {"first": 1, "channel": "vietnam"})
    thumb = data["products"]["edges"][0]["node"]["thumbnail"]
    assert thumb["url"].startswith("http://testserver/media/thumbnails/") and thumb["url"].endswith(".webp")
    assert thumb["alt"] == "Gạo"
    # Reached outside a product list (nothing primed): the thumbnails are loaded, batched, on demand.
    variant = product.variants.get()
    found = gql.execute("""query($id: ID!) { productVariant(id: $id, channel: "vietnam") {
        media { url(size: 256, format: WEBP) }
        product { thumbnail(size: 256, format: WEBP) { url alt } } } }""",
                        {"id": global_id("ProductVariant", variant.pk)})["productVariant"]
    assert found["media"][0]["url"].endswith("-256.webp")
    assert found["product"]["thumbnail"] == {"url": thumb["url"], "alt": "Gạo"}


def test_variants_and_variant_by_sku(gql, product, variant):
    query = """query($ids: [ID!], $sku: String) {
      productVariants(first: 5, ids: $ids, channel: "vietnam") { totalCount edges { node { sku product { slug } } } }
      productVariant(sku: $sku, channel: "vietnam") { id quantityAvailable }
    }"""
    data = gql.execute(query, {"ids": [global_id("ProductVariant", variant.pk)], "sku": variant.sku})
    assert data["productVariants"]["edges"][0]["node"]["sku"] == variant.sku
    assert data["productVariant"]["quantityAvailable"] == 10


def test_categories_collections_with_children_and_products(gql, product, channel):
    from storefront.product.models import Category, Collection, CollectionChannelListing, CollectionProduct

    parent = Category.objects.get(slug="gao")
    child = Category.objects.create(name="Gạo thơm", slug="gao-thom", parent=parent)
    collection = Collection.objects.create(name="Đặc sản", slug="dac-san")
    CollectionChannelListing.objects.create(collection=collection, channel=channel, is_published=True)
    CollectionProduct.objects.create(collection=collection, product=product)
    query = """query {
      categories(first: 10, level: 0) { totalCount edges { node { slug level children(first: 5) { edges { node { slug level parent { slug } } } } } } }
      category(slug: "gao") { name products(first: 5, channel: "vietnam") { totalCount edges { node { slug } } } }
      collections(first: 5, channel: "vietnam") { edges { node { slug name } } }
      collection(slug: "dac-san", channel: "vietnam") { name products(first: 5) { edges { node { slug } } } backgroundImage { url } }
    }"""
    data = gql.execute(query)
    root = data["categories"]["edges"][0]["node"]
    assert root["slug"] == "gao" and root["children"]["edges"][0]["node"] == {
        "slug": "gao-thom", "level": 1, "parent": {"slug": "gao"}}
    assert data["category"]["products"]["edges"][0]["node"]["slug"] == product.slug
    assert data["collections"]["edges"][0]["node"]["slug"] == "dac-san"
    assert data["collection"]["products"]["edges"][0]["node"]["slug"] == product.slug
    assert child.level == 1


def test_menu_navigation(gql, channel):
    from storefront.menu.models import Menu, MenuItem
    from storefront.product.models import Category

    category = Category.objects.create(name="Rau củ", slug="rau-cu")
    menu = Menu.objects.create(name="navbar", slug="navbar")
    top = MenuItem.objects.create(menu=menu, name="Rau", category=category)
    MenuItem.objects.create(menu=menu, name="Rau lá", parent=top, url="https://example.com/rau-la")
    query = """query($slug: String!, $channel: String) {
      menu(slug: $slug, channel: $channel) { id name items { id name level category { slug name } collection { slug }
        page { id } url children { name level url } } }
    }"""
    data = gql.execute(query, {"slug": "navbar", "channel": "vietnam"})
    items = data["menu"]["items"]
    assert [i["name"] for i in items] == ["Rau"]
    assert items[0]["category"]["slug"] == "rau-cu" and items[0]["page"] is None
    assert items[0]["children"] == [{"name": "Rau lá", "level": 1, "url": "https://example.com/rau-la"}]


def test_channels_and_shop_are_public(gql, channel):
    query = """query {
      channels { id slug name currencyCode isActive defaultCountry { code country }
                 orderSettings { allowUnpaidOrders } checkoutSettings { useLegacyErrorFlow } taxConfiguration { id chargeTaxes } }
      channel(slug: "vietnam") { slug warehouses { name address { countryArea } } stockSettings { allocationStrategy } }
      shop { name domain { host url } defaultCountry { code } languages { code language } countries { code }
             availablePaymentGateways(channel: "vietnam") { id name currencies } version limits { currentUsage { channels } } }
    }"""
    data = gql.execute(query)
    assert data["channels"][0]["slug"] == "vietnam"
    assert data["channels"][0]["currencyCode"] == "VND"
    assert data["channels"][0]["orderSettings"]["allowUnpaidOrders"] is True
    assert {g["id"] for g in data["shop"]["availablePaymentGateways"]} == {"htx.payments.cod", "htx.payments.vietqr"}
    assert [lang["code"] for lang in data["shop"]["languages"]] == ["VI", "EN"]


def test_cooperative_extension(gql, coop, product):
    query = """query($slug: String!) {
      cooperatives(first: 10) { totalCount edges { node { slug name } } }
      cooperative(slug: $slug) { name kind province commune address phone certifications { type }
        products(first: 5, channel: "vietnam") { edges { node { slug } } } }
    }"""
    data = gql.execute(query, {"slug": coop.slug})
    assert data["cooperatives"]["totalCount"] == 1
    assert data["cooperative"]["kind"] == "HTX"
    assert data["cooperative"]["products"]["edges"][0]["node"]["slug"] == product.slug


def test_attributes_of_a_product(gql, product):
    from storefront.product.models import Attribute, AttributeValue

    attribute = Attribute.objects.create(name="Tiêu chuẩn", slug="standard", input_type="multiselect")
    value = AttributeValue.objects.create(attribute=attribute, name="VietGAP", slug="vietgap")
    product.attributes.add(value)
    query = """query($slug: String!) { product(slug: $slug, channel: "vietnam") {
      attributes { attribute { slug inputType choices(first: 5) { edges { node { name } } } } values { name slug } }
      assignedAttributes { __typename attribute { slug } ... on AssignedMultiChoiceAttribute { value { name } } }
      attribute(slug: "standard") { values { slug } }
    } attributes(first: 5) { edges { node { slug name } } } }"""
    data = gql.execute(query, {"slug": product.slug})
    attrs = data["product"]["attributes"]
    assert attrs == [{"attribute": {"slug": "standard", "inputType": "MULTISELECT",
                                    "choices": {"edges": [{"node": {"name": "VietGAP"}}]}},
                      "values": [{"name": "VietGAP", "slug": "vietgap"}]}]
    assert data["product"]["assignedAttributes"] == [{"__typename": "AssignedMultiChoiceAttribute",
                                                      "attribute": {"slug": "standard"}, "value": [{"name": "VietGAP"}]}]
    assert data["product"]["attribute"]["values"] == [{"slug": "vietgap"}]


@pytest.mark.parametrize("first", [101, 1000])
def test_page_size_capped_at_100(gql, product, first):
    body = gql.post("query($n: Int) { products(first: $n, channel: \"vietnam\") { edges { node { id } } } }", {"n": first})
    assert body["data"]["products"] is None
    assert "exceeds the `first` limit of 100 records" in body["errors"][0]["message"]


def test_pagination_requires_first_or_last(gql, product):
    body = gql.post("{ products(channel: \"vietnam\") { edges { node { id } } } }")
    assert "You must provide a `first` or `last` value" in body["errors"][0]["message"]
    last = gql.execute("{ products(last: 1, channel: \"vietnam\") { edges { node { slug } } pageInfo { hasPreviousPage } } }")
    assert len(last["products"]["edges"]) == 1
