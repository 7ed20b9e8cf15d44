"""Cooperative staff manage their own products through the API; everyone else gets Saleor's
permission error and no data."""
import io
import json

import pytest
from PIL import Image

from storefront.graphql.core.ids import global_id
from storefront.product.models import Product
from tests.graphql.flows import assert_permission_denied

PRODUCT_CREATE = """
mutation Create($input: ProductCreateInput!) {
  productCreate(input: $input) { product { id name slug description category { slug } cooperative { slug } weight { value } }
                                 errors { field message code } }
}"""
PRODUCT_UPDATE = """
mutation Update($id: ID!, $input: ProductInput!) {
  productUpdate(id: $id, input: $input) { product { id name seoTitle } errors { field message code } }
}"""
PRODUCT_DELETE = "mutation Delete($id: ID!) { productDelete(id: $id) { product { id } errors { field code } } }"
VARIANT_CREATE = """
mutation VariantCreate($input: ProductVariantCreateInput!) {
  productVariantCreate(input: $input) { productVariant { id sku name stocks { quantity warehouse { slug } } }
                                        errors { field message code } }
}"""
VARIANT_UPDATE = """
mutation VariantUpdate($id: ID!, $input: ProductVariantInput!) {
  productVariantUpdate(id: $id, input: $input) { productVariant { id name quantityLimitPerCustomer } errors { field code } }
}"""
STOCKS_UPDATE = """
mutation Stocks($variantId: ID!, $stocks: [StockInput!]!) {
  productVariantStocksUpdate(variantId: $variantId, stocks: $stocks) {
    productVariant { id quantityAvailable stocks { quantity } } errors { field message code index }
  }
}"""
LISTING_UPDATE = """
mutation Listing($id: ID!, $input: ProductChannelListingUpdateInput!) {
  productChannelListingUpdate(id: $id, input: $input) {
    product { id channelListings { channel { slug } isPublished visibleInListings } } errors { field message code }
  }
}"""
def test_staff_create_update_publish_their_product(gql_as, coop_staff, coop, channel):
    from storefront.product.models import Category

    category = Category.objects.create(name="Trái cây", slug="trai-cay")
    client = gql_as(coop_staff)
    created = client.execute(PRODUCT_CREATE, {"input": {
        "name": "Bưởi Năm Roi", "productType": global_id("ProductType", _product_type().pk),
        "category": global_id("Category", category.pk),
        "description": json.dumps({"blocks": [{"type": "paragraph", "data": {"text": "Bưởi ngọt."}}]}),
        "weight": 1200}})["productCreate"]
    assert created["errors"] == []
    product = created["product"]
    assert product["cooperative"]["slug"] == coop.slug and product["weight"]["value"] == 1200
    assert json.loads(product["description"])["blocks"][0]["data"]["text"] == "Bưởi ngọt."
    updated = client.execute(PRODUCT_UPDATE, {"id": product["id"], "input": {"seo": {"title": "Bưởi ngon"}}})
    assert updated["productUpdate"]["product"]["seoTitle"] == "Bưởi ngon"
    warehouse = coop.warehouses.get()
    variant = client.execute(VARIANT_CREATE, {"input": {
        "product": product["id"], "sku": "BUOI-1", "name": "1 trái", "attributes": [],
        "stocks": [{"warehouse": global_id("Warehouse", warehouse.pk), "quantity": 7}]}})["productVariantCreate"]
    assert variant["errors"] == [] and variant["productVariant"]["stocks"][0]["quantity"] == 7
    variant_id = variant["productVariant"]["id"]
    renamed = client.execute(VARIANT_UPDATE, {"id": variant_id, "input": {"name": "2 trái", "quantityLimitPerCustomer": 3}})
    assert renamed["productVariantUpdate"]["productVariant"] == {"id": variant_id, "name": "2 trái",
                                                                 "quantityLimitPerCustomer": 3}
    stocks = client.execute(STOCKS_UPDATE, {"variantId": variant_id, "stocks": [
        {"warehouse": global_id("Warehouse", warehouse.pk), "quantity": 12}]})["productVariantStocksUpdate"]
    assert stocks["errors"] == [] and stocks["productVariant"]["stocks"][0]["quantity"] == 12
    # No price in the channel yet: publishing is refused with Saleor's code.
    listing = client.execute(LISTING_UPDATE, {"id": product["id"], "input": {"updateChannels": [
        {"channelId": global_id("Channel", channel.pk), "isPublished": True}]}})["productChannelListingUpdate"]
    assert listing["errors"][0]["code"] == "CANNOT_MANAGE_PRODUCT_WITHOUT_VARIANT"
    deleted = client.execute(PRODUCT_DELETE, {"id": product["id"]})["productDelete"]
    assert deleted["errors"] == [] and deleted["product"]["id"] == product["id"]
    assert not Product.objects.filter(slug="buoi-nam-roi").exists()


def _product_type():
    from storefront.product.models import ProductType

    return ProductType.objects.get_or_create(slug="nong-san", defaults={"name": "Nông sản", "has_variants": False})[0]


def test_publish_listing(gql_as, coop_staff, product, channel):
    client = gql_as(coop_staff)
    hidden = client.execute(LISTING_UPDATE, {"id": global_id("Product", product.pk), "input": {"updateChannels": [
        {"channelId": global_id("Channel", channel.pk), "isPublished": True, "visibleInListings": False}]}})
    listings = hidden["productChannelListingUpdate"]["product"]["channelListings"]
    assert listings == [{"channel": {"slug": "vietnam"}, "isPublished": True, "visibleInListings": False}]


@pytest.mark.parametrize("who", ["anonymous", "customer", "other_coop_staff"])
def test_permission_matrix_on_another_cooperatives_product(request, gql, gql_as, who, product, variant, coop,
                                                           channel):
    client = gql if who == "anonymous" else gql_as(request.getfixturevalue(who))
    pid = global_id("Product", product.pk)
    vid = global_id("ProductVariant", variant.pk)
    warehouse_id = global_id("Warehouse", coop.warehouses.get().pk)
    calls = [
        (PRODUCT_UPDATE, {"id": pid, "input": {"name": "Hacked"}}, "productUpdate"),
        (PRODUCT_DELETE, {"id": pid}, "productDelete"),
        (VARIANT_CREATE, {"input": {"product": pid, "sku": "X-1", "attributes": []}}, "productVariantCreate"),
        (VARIANT_UPDATE, {"id": vid, "input": {"name": "x"}}, "productVariantUpdate"),
        (STOCKS_UPDATE, {"variantId": vid, "stocks": [{"warehouse": warehouse_id, "quantity": 999}]},
         "productVariantStocksUpdate"),
        (LISTING_UPDATE, {"id": pid, "input": {"removeChannels": [global_id("Channel", channel.pk)]}},
         "productChannelListingUpdate"),
    ]
    for query, variables, field in calls:
        assert_permission_denied(client.post(query, variables), field)
    product.refresh_from_db()
    assert product.name != "Hacked" and variant.stocks.get().quantity == 10
    create = {"input": {"name": "X", "productType": global_id("ProductType", product.product_type_id),
                        "cooperative": global_id("Cooperative", coop.pk)}}
    assert_permission_denied(client.post(PRODUCT_CREATE, create), "productCreate")
    assert not Product.objects.filter(name="X").exists()


def test_staff_cannot_read_other_cooperatives_stock_or_listings(gql_as, other_coop_staff, coop_staff, product):
    query = """query($slug: String!) { product(slug: $slug, channel: "vietnam") {
      channelListings { isPublished } variants { stocks { quantity } } } }"""
    foreign = gql_as(other_coop_staff).execute(query, {"slug": product.slug})["product"]
    assert foreign == {"channelListings": None, "variants": [{"stocks": None}]}
    own = gql_as(coop_staff).execute(query, {"slug": product.slug})["product"]
    assert own["variants"][0]["stocks"] == [{"quantity": 10}]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


MEDIA_CREATE = """
mutation Media($image: Upload!, $product: ID!) {
  productMediaCreate(input: {image: $image, product: $product, alt: "Gạo"}) {
    media { id alt url type } product { media { id } } errors { field message code }
  }
}"""


def _multipart(client, token, product_id, payload: bytes, name="rice.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    operations = json.dumps({"query": MEDIA_CREATE, "variables": {"image": None, "product": product_id}})
    return client.client.post("/graphql/", data={
        "operations": operations, "map": json.dumps({"0": ["variables.image"]}),
        "0": SimpleUploadedFile(name, payload, content_type="image/png"),
    }, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_product_media_create_multipart(gql_as, coop_staff, other_coop_staff, product):
    client = gql_as(coop_staff)
    response = _multipart(client, client.token, global_id("Product", product.pk), _png())
    body = response.json()
    assert response.status_code == 200, body
    result = body["data"]["productMediaCreate"]
    assert result["errors"] == [] and result["media"]["type"] == "IMAGE" and result["media"]["alt"] == "Gạo"
    assert result["media"]["url"].startswith("http://testserver/media/")
    not_image = _multipart(client, client.token, global_id("Product", product.pk), b"not an image", "x.png").json()
    assert not_image["data"]["productMediaCreate"]["errors"][0]["code"] in {"INVALID", "NOT_PRODUCTS_IMAGE"}
    other = gql_as(other_coop_staff)
    denied = _multipart(other, other.token, global_id("Product", product.pk), _png()).json()
    assert_permission_denied(denied, "productMediaCreate")
