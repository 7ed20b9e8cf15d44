"""Shop pages over the catalog selectors: what shows, in which language, at what price."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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


def _category_queries(client, count):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("web:category", args=["gao"]), {"per_page": count})
    assert response.status_code == 200
    assert len(response.context["cards"]) == count
    return len(ctx.captured_queries)


def test_category_page_query_count_does_not_grow_with_page_size(client, coop, other_coop, channel):
    from storefront.product.models import ProductMedia

    for n in range(48):
        product = make_product(coop if n % 2 else other_coop, channel, name=f"Sản phẩm {n:02d}", price=10_000 + n)
        ProductMedia.objects.create(product=product, image=f"products/p{n}.jpg", alt=f"Ảnh {n}")
    twelve = _category_queries(client, 12)
    forty_eight = _category_queries(client, 48)
    assert twelve == forty_eight
    assert forty_eight <= 15
