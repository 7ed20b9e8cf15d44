import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from storefront.demo.seed import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.django_db

COUNTED = [
    "account.User", "account.ConsentRecord", "account.Address", "cooperative.Cooperative",
    "cooperative.CooperativeMember", "cooperative.Certification", "channel.Channel", "product.Category",
    "product.ProductType", "product.Attribute", "product.AttributeValue", "product.Product",
    "product.ProductVariant", "product.ProductVariantChannelListing", "product.ProductChannelListing",
    "product.ComboComponent", "product.ProductMedia", "product.ProductMediaThumbnail", "product.Collection",
    "product.CollectionProduct", "product.CollectionChannelListing", "menu.Menu", "menu.MenuItem",
    "warehouse.Warehouse", "warehouse.Stock", "shipping.ShippingZone", "shipping.ShippingMethod", "discount.Voucher",
    "discount.Promotion",
]


def row_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def test_seed_demo_loads_the_sample_and_a_second_run_changes_nothing(django_capture_on_commit_callbacks):
    from storefront.channel.models import Channel
    from storefront.product.models import Product
    from storefront.product.selectors import product_search, products_filter
    from storefront.warehouse.selectors import variants_quantity_available

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the thumbnail tasks, queued on commit
        call_command("seed_demo", stdout=out)
    first = row_counts()
    assert first["cooperative.Cooperative"] == 15
    assert first["product.Product"] == 63 + 6
    assert first["product.ComboComponent"] == 5 + 4 + 4 + 4 + 2 + 4
    assert first["product.ProductMedia"] == 69
    assert first["product.ProductMediaThumbnail"] == 69 * 4  # 64…512 px, all smaller than the 800 px pictures
    assert first["shipping.ShippingZone"] == 3
    assert first["discount.Voucher"] == 1 and first["discount.Promotion"] == 1
    text = out.getvalue()
    for email in ("khach@", "htx.vinhbinh@", "trade@", "program@"):
        assert email in text

    channel = Channel.objects.get(slug="vietnam")
    assert list(product_search(channel=channel, query="gao st25 vinh binh"))
    assert products_filter(channel=channel).count() == 69
    combo = Product.objects.get(slug="combo-rau-cu-gia-dinh-5kg")
    assert combo.is_combo and combo.variants.get().combo_components.count() == 5
    assert variants_quantity_available(variant_ids=[combo.variants.get().pk])[combo.variants.get().pk] > 0

    with django_capture_on_commit_callbacks(execute=True):
        result = seed_demo(with_images=True)
    assert row_counts() == first
    assert not any(result.created.values())


def test_demo_accounts_log_in_with_their_roles():
    seed_demo(with_images=False)
    from storefront.core.permissions import cooperative_ids_of, is_program_staff, is_trade_staff

    program = authenticate(email="program@htx-market.example.com", password=DEMO_PASSWORD)
    assert program and program.is_superuser and is_program_staff(program)
    assert is_trade_staff(authenticate(email="trade@htx-market.example.com", password=DEMO_PASSWORD))
    staff = authenticate(email="htx.vinhbinh@htx-market.example.com", password=DEMO_PASSWORD)
    assert staff and len(cooperative_ids_of(staff)) == 1
    customer = authenticate(email="khach@htx-market.example.com", password=DEMO_PASSWORD)
    assert customer and customer.consents.filter(purpose="data_processing", granted=True).exists()
    assert customer.default_shipping_address.country_area == "Thành phố Cần Thơ"
