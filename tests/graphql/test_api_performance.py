"""SQL query counts: DataLoaders make a page cost the same whatever its length."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storefront.product.models import ProductMedia, ProductMediaThumbnail
from tests.factories import make_product
from tests.graphql.flows import ready_checkout
from tests.graphql.queries import CHECKOUT_COMPLETE, PRODUCT_DETAILS

LISTING = """
query Listing($first: Int!) {
  products(first: $first, channel: "vietnam") {
    totalCount
    edges { node {
      id name slug
      thumbnail(size: 256, format: WEBP) { url alt }
      pricing { onSale priceRange { start { gross { amount currency } } stop { gross { amount currency } } } }
      category { id name slug }
      cooperative { name slug province }
      variants { id name sku pricing { price { gross { amount currency } } } }
    } }
  }
}
"""


def _catalog(coop, other_coop, channel, count):
    from django.core.files.base import ContentFile

    for i in range(count):
        product = make_product(coop if i % 2 else other_coop, channel, name=f"Nông sản {i}", price=10_000 + i)
        media = ProductMedia.objects.create(product=product, image=ContentFile(b"x", name=f"p{i}.jpg"))
        ProductMediaThumbnail.objects.create(media=media, size=256, format="WEBP",
                                             image=ContentFile(b"y", name=f"p{i}.webp"))


def _count(gql, query, variables):
    with CaptureQueriesContext(connection) as ctx:
        data = gql.execute(query, variables)
    return len(ctx.captured_queries), data


def test_products_page_query_count_is_constant(gql, coop, other_coop, channel):
    _catalog(coop, other_coop, channel, 100)
    one, data_one = _count(gql, LISTING, {"first": 1})
    hundred, data_hundred = _count(gql, LISTING, {"first": 100})
    assert len(data_one["products"]["edges"]) == 1 and len(data_hundred["products"]["edges"]) == 100
    node = data_hundred["products"]["edges"][0]["node"]
    assert node["thumbnail"]["url"].endswith(".webp") and node["cooperative"]["province"]
    assert one == hundred
    twenty, _ = _count(gql, LISTING, {"first": 20})
    assert twenty == one <= 10


def test_product_page_query_budget(gql, product, combo):
    queries, data = _count(gql, PRODUCT_DETAILS, {"slug": combo.slug, "channel": "vietnam", "lang": "VI"})
    assert data["product"]["variants"][0]["quantityAvailable"] == 3
    assert queries <= 16  # everything a detail page may ask: attributes, collections, combo components …
    lean = """query($slug: String!) { product(slug: $slug, channel: "vietnam") {
      id name description seoTitle thumbnail(size: 1024, format: WEBP) { url } media { url }
      category { name } pricing { priceRange { start { gross { amount } } } }
      variants { id name quantityAvailable pricing { price { gross { amount currency } } } } } }"""
    lean_queries, _ = _count(gql, lean, {"slug": product.slug})
    assert lean_queries <= 15


def test_checkout_complete_query_budget(gql, variant, shipping_method):
    cid = ready_checkout(gql, variant, shipping_method)
    queries, data = _count(gql, CHECKOUT_COMPLETE, {"id": cid})
    assert data["checkoutComplete"]["errors"] == []
    assert queries <= 40
