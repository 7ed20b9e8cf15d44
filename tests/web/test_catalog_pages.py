"""Shop pages over the catalog selectors: what shows, in which language, at what price."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from storefront.product.catalog_cache import bump_catalog_version
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def test_home_shows_new_products_combos_and_cooperatives(client, product, combo, coop):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Gạo ST25 Vĩnh Bình" in html
    assert "Combo rau gạo" in html
    assert coop.name in html
    assert "195.000 ₫" in html


def test_operator_identity_is_on_every_page(client, settings, product):
    html = client.get(reverse("web:home")).content.decode()
    assert settings.OPERATOR["name"] in html
    assert settings.OPERATOR["registration"] in html
    assert reverse("web:terms") in html and reverse("web:privacy") in html


def test_search_ignores_accents_and_case(client, product):
    response = client.get(reverse("web:search"), {"q": "gao st25"})
    assert response.status_code == 200
    assert "Gạo ST25 Vĩnh Bình" in response.content.decode()
    assert response.context["page"].paginator.count == 1


def test_suggestions_fragment_links_to_products(client, product):
    response = client.get(reverse("web:search_suggest"), {"q": "GAO"})
    html = response.content.decode()
    assert reverse("web:product", args=[product.slug]) in html
    assert "<html" not in html


def test_product_page_shows_price_stock_origin_and_seller(client, product, coop):
    response = client.get(reverse("web:product", args=[product.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "195.000 ₫" in html
    assert "Còn hàng" in html
    assert coop.name in html and coop.representative_name in html
    assert reverse("web:cooperative", args=[coop.slug]) in html


def test_product_page_is_cached_but_price_and_stock_changes_show_at_once(client, product, coop):
    from storefront.cooperative.models import Cooperative
    from storefront.warehouse.models import Stock

    url = reverse("web:product", args=[product.slug])
    assert "195.000 ₫" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert not [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "product_product"')]  # cached

    listing = product.variants.get().channel_listings.get()
    listing.price_amount = 205_000
    listing.save()
    assert "205.000 ₫" in client.get(url).content.decode()

    Stock.objects.filter(product_variant__product=product).update(quantity=0)  # stock is never cached
    assert "Còn hàng" not in client.get(url).content.decode()

    coop.status = Cooperative.Status.SUSPENDED
    coop.save()
    assert client.get(url).status_code == 404


def test_combo_page_lists_its_contents_with_their_cooperatives(client, combo, other_coop):
    html = client.get(reverse("web:product", args=[combo.slug])).content.decode()
    assert "Combo gồm" in html
    assert "2 × " in html and "Cải ngọt VietGAP" in html
    assert other_coop.name in html


def test_unpublished_product_is_not_found(client, coop, channel):
    hidden = make_product(coop, channel, name="Chưa bán", price=10_000, published=False)
    assert client.get(reverse("web:product", args=[hidden.slug])).status_code == 404


def test_price_filter_and_sort(client, coop, channel):
    make_product(coop, channel, name="Rẻ", price=10_000)
    make_product(coop, channel, name="Vừa", price=50_000)
    make_product(coop, channel, name="Đắt", price=900_000)
    response = client.get(reverse("web:category", args=["gao"]), {"min_price": 20_000, "sort": "-price"})
    names = [card.product.name for card in response.context["cards"]]
    assert names == ["Đắt", "Vừa"]


def test_in_stock_filter_hides_sold_out(client, coop, channel):
    make_product(coop, channel, name="Còn", price=10_000, stock=3)
    make_product(coop, channel, name="Hết", price=10_000, stock=0)
    response = client.get(reverse("web:category", args=["gao"]), {"in_stock": "on"})
    assert [c.product.name for c in response.context["cards"]] == ["Còn"]


def test_cooperative_store_page_has_seller_information_and_products(client, product, coop):
    response = client.get(reverse("web:cooperative", args=[coop.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thông tin người bán" in html and coop.email in html
    assert "Gạo ST25 Vĩnh Bình" in html


def test_pending_cooperative_store_is_hidden(client):
    from tests.factories import make_cooperative

    pending = make_cooperative("HTX Chờ duyệt", status="pending")
    assert client.get(reverse("web:cooperative", args=[pending.slug])).status_code == 404


def test_english_pages_use_english_names(client, product):
    product.name_en = "ST25 Rice 5 kg"
    product.save(update_fields=["name_en"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("web:product", args=[product.slug])).content.decode()
    assert '<html lang="en">' in html
    assert "ST25 Rice 5 kg" in html
    assert "195.000 ₫" in html


def _category_sql(client, count, *, cold=True) -> list[str]:
    if cold:  # as right after a catalog change: nothing cached
        bump_catalog_version()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("web:category", args=["gao"]), {"per_page": count})
    assert response.status_code == 200
    assert len(response.context["cards"]) == min(count, response.context["page"].paginator.count)
    return [query["sql"] for query in ctx.captured_queries]


def _category_queries(client, count, *, cold=True) -> int:
    return len(_category_sql(client, count, cold=cold))


def test_category_page_query_count_does_not_grow_with_page_size(client, coop, other_coop, channel):
    from storefront.product.models import ProductMedia

    for n in range(48):
        product = make_product(coop if n % 2 else other_coop, channel, name=f"Sản phẩm {n:02d}", price=10_000 + n)
        ProductMedia.objects.create(product=product, image=f"products/p{n}.jpg", alt=f"Ảnh {n}")
    # The provinces are read once per process (for the cards' origin) — whichever request comes first.
    _category_queries(client, 12)
    twelve = _category_queries(client, 12)
    forty_eight = _category_queries(client, 48)
    assert twelve == forty_eight
    assert forty_eight <= 13


def test_listing_ids_and_count_are_cached_until_the_catalog_changes(client, coop, channel):
    for n in range(5):
        make_product(coop, channel, name=f"Gạo lô {n}", price=10_000 + n)
    cold = _category_sql(client, 12)
    warm = _category_sql(client, 12, cold=False)
    assert any("COUNT(" in sql for sql in cold)
    assert any(sql.startswith('SELECT "product_product"') for sql in cold)
    # Neither the count, nor the page's ids, nor the cards' rows are asked again …
    assert not [sql for sql in warm if "COUNT(" in sql or sql.startswith('SELECT "product_product"')]
    assert len(warm) < len(cold)
    # … but the stock is, live: an order changes what the card says without a catalog write.
    assert any('FROM "warehouse_stock"' in sql for sql in warm)
    response = client.get(reverse("web:category", args=["gao"]))
    assert response.context["page"].paginator.count == 5

    # Any write to the catalog is seen by the next request: a new product, an unpublished one.
    newest = make_product(coop, channel, name="Gạo lô mới", price=12_000)
    response = client.get(reverse("web:category", args=["gao"]))
    assert response.context["page"].paginator.count == 6
    assert "Gạo lô mới" in response.content.decode()
    newest.channel_listings.update(is_published=False)  # no signal: a bulk update …
    bump_catalog_version()  # … is announced by the service that makes it
    assert client.get(reverse("web:category", args=["gao"])).context["page"].paginator.count == 5
    listing = newest.channel_listings.get()
    listing.is_published = True
    listing.save()  # a model save is announced by signal
    assert client.get(reverse("web:category", args=["gao"])).context["page"].paginator.count == 6


def test_staff_listings_are_not_served_from_the_shoppers_cache(client, coop, channel, coop_staff):
    make_product(coop, channel, name="Gạo công khai", price=10_000)
    hidden = make_product(coop, channel, name="Gạo nháp", price=10_000)
    hidden.channel_listings.update(is_published=False)
    bump_catalog_version()
    assert client.get(reverse("web:category", args=["gao"])).context["page"].paginator.count == 1
    client.force_login(coop_staff)
    assert client.get(reverse("web:category", args=["gao"])).context["page"].paginator.count == 2


def test_search_counts_its_matches_with_its_first_page(client, coop, channel):
    for n in range(30):
        make_product(coop, channel, name=f"Gạo thơm {n:02d}", price=10_000 + n)
    make_product(coop, channel, name="Cà phê", price=10_000)
    bump_catalog_version()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("web:search"), {"q": "gao", "per_page": 12})
    assert response.context["page"].paginator.count == 30
    assert len(response.context["cards"]) == 12
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]  # no query of its own
    last = client.get(reverse("web:search"), {"q": "gao", "per_page": 12, "page": 3})
    assert last.context["page"].number == 3 and len(last.context["cards"]) == 6
    names = {c.product.name for p in (1, 2, 3)
             for c in client.get(reverse("web:search"), {"q": "gao", "per_page": 12, "page": p}).context["cards"]}
    assert len(names) == 30
    assert client.get(reverse("web:search"), {"q": "khong co"}).context["page"].paginator.count == 0


@pytest.mark.django_db
def test_product_page_states_standards_once_certificates_with_number_and_ocop_one_way(client, coop, coop_staff,
                                                                                     product, channel):
    from storefront.cooperative.models import Certification
    from storefront.product.services import product_update

    product_update(actor=coop_staff, product=product, data={"standards": ["VietGAP", "OCOP 4 sao"]})
    Certification.objects.create(cooperative=coop, product=product, type="OCOP", stars=4, number="OCOP-CT-2024-017")
    Certification.objects.create(cooperative=coop, type="GlobalGAP", number="GGN 4063061234567",
                                 issuer="Control Union")
    Certification.objects.create(cooperative=coop, type="OCOP", stars=5, scope="Mật ong rừng")  # another product's
    page = client.get(f"/san-pham/{product.slug}/").content.decode()
    assert page.count("<dt>Tiêu chuẩn</dt>") == 1 and "Tiêu chuẩn:" not in page
    assert "OCOP 4 sao" in page and "★" not in page and "OCOP 5 sao" not in page
    assert "số OCOP-CT-2024-017" in page and "số GGN 4063061234567" in page and "Control Union" in page
    listing = client.get(f"/danh-muc/{product.category.slug}/").content.decode()
    assert "OCOP 4 sao" in listing and "★" not in listing
