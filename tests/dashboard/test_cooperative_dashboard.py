"""Cooperative staff pages: own cooperative only; products, photos, stock, orders, profile."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from storefront.cooperative.models import Cooperative
from storefront.order.models import Fulfillment
from storefront.product.models import Product

pytestmark = pytest.mark.django_db


def _png(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


NEW_PRODUCT = {
    "name": "Bưởi da xanh", "category": None, "unit_label": "quả 1,5 kg", "weight_g": 1500,
    "standards": ["VietGAP"], "sku": "BUOI-DX-1", "price": 85_000, "stock": 20,
}


@pytest.fixture
def category(db):
    from tests.factories import _default_category

    return _default_category()


def test_staff_of_another_cooperative_gets_403(client, coop, other_coop_staff, product):
    client.force_login(other_coop_staff)
    for url in (reverse("dashboard:overview", args=[coop.pk]), reverse("dashboard:products", args=[coop.pk]),
                reverse("dashboard:product_edit", args=[coop.pk, product.pk]),
                reverse("dashboard:orders", args=[coop.pk]), reverse("dashboard:profile", args=[coop.pk])):
        assert client.get(url).status_code == 403, url


def test_a_product_of_another_cooperative_cannot_be_reached_through_ones_own(client, coop_staff, coop, other_coop,
                                                                              channel):
    from tests.factories import make_product

    foreign = make_product(other_coop, channel, name="Rau Đà Lạt", price=20_000)
    client.force_login(coop_staff)
    assert client.get(reverse("dashboard:product_edit", args=[coop.pk, foreign.pk])).status_code == 403


def test_customers_cannot_open_the_dashboard(client, customer, coop):
    client.force_login(customer)
    assert client.get(reverse("dashboard:overview", args=[coop.pk])).status_code == 403
    assert client.get(reverse("dashboard:program_cooperatives")).status_code == 403


def test_single_cooperative_staff_land_on_their_overview(client, coop_staff, coop, product):
    client.force_login(coop_staff)
    response = client.get(reverse("dashboard:home"))
    assert response["Location"] == reverse("dashboard:overview", args=[coop.pk])
    assert client.get(response["Location"]).status_code == 200


def test_create_product_upload_photo_publish_and_see_it_in_the_shop(client, coop_staff, coop, channel, category):
    client.force_login(coop_staff)
    response = client.post(reverse("dashboard:product_new", args=[coop.pk]), {**NEW_PRODUCT, "category": category.pk})
    assert response.status_code == 302, response.context["form"].errors
    product = Product.objects.get(name="Bưởi da xanh")
    edit = reverse("dashboard:product_edit", args=[coop.pk, product.pk])
    assert response["Location"] == edit
    upload = SimpleUploadedFile("buoi.png", _png(), content_type="image/png")
    response = client.post(reverse("dashboard:media_upload", args=[coop.pk, product.pk]),
                           {"image": upload, "alt": "Bưởi da xanh Bến Tre"})
    assert response.status_code == 302
    assert product.media.count() == 1
    response = client.post(reverse("dashboard:product_publish", args=[coop.pk, product.pk]), {"publish": "1"})
    assert response.status_code == 302
    shop = client.get(reverse("web:product", args=[product.slug])).content.decode()
    assert "85.000 ₫" in shop and 'alt="Bưởi da xanh Bến Tre"' in shop
    client.logout()
    assert "Bưởi da xanh" in client.get(reverse("web:search"), {"q": "buoi da xanh"}).content.decode()


def test_a_bad_upload_gets_a_clear_error_and_stores_nothing(client, coop_staff, coop, product):
    client.force_login(coop_staff)
    bad = SimpleUploadedFile("virus.png", b"MZ this is not an image", content_type="image/png")
    response = client.post(reverse("dashboard:media_upload", args=[coop.pk, product.pk]), {"image": bad})
    assert response.status_code == 400
    assert response.context["media_form"].errors["image"]
    assert product.media.count() == 0


def test_product_error_from_the_service_shows_on_its_field(client, coop_staff, coop, category, product):
    client.force_login(coop_staff)
    taken = product.variants.get().sku
    response = client.post(reverse("dashboard:product_new", args=[coop.pk]),
                           {**NEW_PRODUCT, "category": category.pk, "sku": taken})
    assert response.status_code == 200
    assert "sku" in response.context["form"].errors
    assert not Product.objects.filter(name="Bưởi da xanh").exists()  # nothing half-made


def test_stock_and_price_per_warehouse(client, coop_staff, coop, product, channel):
    client.force_login(coop_staff)
    variant = product.variants.get()
    warehouse = coop.warehouses.get()
    client.post(reverse("dashboard:variant_save", args=[coop.pk, variant.pk]),
                {"name": "Túi 5 kg", "price": 199_000, f"stock-{warehouse.pk}": 42})
    variant.refresh_from_db()
    assert variant.name == "Túi 5 kg"
    assert variant.stocks.get().quantity == 42
    assert variant.channel_listings.get(channel=channel).price_amount == 199_000


def test_photo_reorder(client, coop_staff, coop, product):
    from storefront.product.services import product_media_create

    client.force_login(coop_staff)
    first = product_media_create(actor=coop_staff, product=product,
                                 uploaded_file=SimpleUploadedFile("a.png", _png(), "image/png"), alt="A")
    second = product_media_create(actor=coop_staff, product=product,
                                  uploaded_file=SimpleUploadedFile("b.png", _png((40, 40)), "image/png"), alt="B")
    client.post(reverse("dashboard:media_move", args=[coop.pk, product.pk]), {"media": second.pk, "direction": "up"})
    assert list(product.media.order_by("sort_order", "pk").values_list("pk", flat=True)) == [second.pk, first.pk]


@pytest.fixture
def placed_order(customer, variant, combo, other_coop, shipping_method, channel):
    """One order with parts from two cooperatives: rice and a combo from one, vegetables from the other."""
    from tests.factories import make_product
    from storefront.checkout.complete import checkout_complete
    from storefront.checkout.services import (checkout_create, checkout_delivery_method_update,
                                              checkout_privacy_consent)

    vegetables = make_product(other_coop, channel, name="Rau muống", price=15_000, stock=10)
    address = {"first_name": "An", "last_name": "Nguyễn", "street_address_1": "1 Hòa Bình",
               "city": "Phường Ninh Kiều", "country": "VN", "country_area": "Cần Thơ", "phone": "0912345678"}
    checkout = checkout_create(channel=channel, actor=customer, email=customer.email,
                               lines=[(variant, 1), (combo.variants.get(), 1), (vegetables.variants.get(), 2)],
                               shipping_address=address, billing_address=address)
    checkout_delivery_method_update(checkout=checkout, shipping_method_id=shipping_method.pk)
    checkout_privacy_consent(checkout=checkout, granted=True)
    return checkout_complete(checkout=checkout, actor=customer, payment_gateway="htx.payments.cod")


def test_cooperative_sees_and_ships_its_part(client, coop_staff, coop, placed_order):
    client.force_login(coop_staff)
    html = client.get(reverse("dashboard:orders", args=[coop.pk])).content.decode()
    assert f"#{placed_order.pk}" in html
    part = placed_order.fulfillments.get(cooperative=coop)
    client.post(reverse("dashboard:fulfillment_action", args=[coop.pk, part.pk, "pack"]))
    client.post(reverse("dashboard:fulfillment_action", args=[coop.pk, part.pk, "ship"]),
                {"tracking_number": "GHN123456"})
    part.refresh_from_db()
    assert part.status == Fulfillment.Status.SHIPPED and part.tracking_number == "GHN123456"


def test_shipping_a_waiting_part_packs_and_ships_it_whole(client, coop_staff, coop, placed_order):
    from storefront.order.models import OrderEvent

    client.force_login(coop_staff)
    part = placed_order.fulfillments.get(cooperative=coop)
    client.post(reverse("dashboard:fulfillment_action", args=[coop.pk, part.pk, "ship"]), {"tracking_number": "VTP1"})
    part.refresh_from_db()
    assert (part.status, part.tracking_number) == (Fulfillment.Status.SHIPPED, "VTP1")
    assert all(line.quantity_fulfilled == line.quantity for line in part.lines.all()) and part.lines.count() == 2
    assert list(placed_order.events.filter(type__in=[OrderEvent.Type.PACKED, OrderEvent.Type.SHIPPED])
                .order_by("pk").values_list("type", flat=True)) == [OrderEvent.Type.PACKED, OrderEvent.Type.SHIPPED]
    other = placed_order.fulfillments.exclude(pk=part.pk).get()
    assert other.status == Fulfillment.Status.UNFULFILLED


def test_shipping_without_tracking_number_is_refused(client, coop_staff, coop, placed_order):
    client.force_login(coop_staff)
    part = placed_order.fulfillments.get(cooperative=coop)
    response = client.post(reverse("dashboard:fulfillment_action", args=[coop.pk, part.pk, "ship"]), follow=True)
    assert "mã vận đơn" in response.content.decode().lower()
    part.refresh_from_db()
    assert part.status == Fulfillment.Status.UNFULFILLED


def test_cannot_act_on_another_cooperatives_fulfillment(client, coop_staff, coop, other_coop, placed_order):
    client.force_login(coop_staff)
    foreign = placed_order.fulfillments.get(cooperative=other_coop)
    url = reverse("dashboard:fulfillment_action", args=[coop.pk, foreign.pk, "pack"])
    assert client.post(url).status_code == 403
    url = reverse("dashboard:fulfillment_action", args=[other_coop.pk, foreign.pk, "pack"])
    assert client.post(url).status_code == 403


def test_profile_update(client, coop_staff, coop):
    client.force_login(coop_staff)
    url = reverse("dashboard:profile", args=[coop.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update(description="Gạo thơm ST25 trồng theo VietGAP.", certifications=["VietGAP"], phone="0918 427 315")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    coop.refresh_from_db()
    assert coop.description.startswith("Gạo thơm") and coop.certifications.filter(type="VietGAP").exists()


def test_a_new_cooperative_registers_and_waits_for_approval(client, customer, channel):
    from storefront.core.models import Commune

    commune = Commune.objects.filter(province_id="68").order_by("code").first()
    client.force_login(customer)
    response = client.post(reverse("dashboard:register"), {
        "name": "HTX Cà phê Cầu Đất", "kind": "htx", "province": "68", "commune": commune.name,
        "representative_name": "Phạm Thị Mai", "phone": "0912345678", "email": "caudat@example.com",
    })
    assert response.status_code == 302
    cooperative = Cooperative.objects.get(name="HTX Cà phê Cầu Đất")
    assert cooperative.status == Cooperative.Status.PENDING
    assert client.get(reverse("web:cooperative", args=[cooperative.slug])).status_code == 200  # own staff see it
    client.logout()
    assert client.get(reverse("web:cooperative", args=[cooperative.slug])).status_code == 404
