import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from storefront.core.models import Province
from storefront.shipping.models import ShippingMethod, ShippingZone
from storefront.shipping.selectors import shipping_methods_for
from storefront.shipping.services import shipping_defaults_ensure, shipping_method_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions(channel):
    return {z.region: z for z in shipping_defaults_ensure(channel=channel)}


def test_region_zones_and_weight_bands(channel, regions):
    can_tho = Province.objects.get(code="92")  # south
    quotes = shipping_methods_for(channel=channel, province=can_tho, weight_g=3_000, subtotal=100_000)
    assert [(q.price, q.minimum_delivery_days, q.maximum_delivery_days) for q in quotes] == [(35_000, 2, 4)]
    assert quotes[0].method.zone == regions["south"]
    hue = Province.objects.get(region="central", code="46")
    assert shipping_methods_for(channel=channel, province=hue, weight_g=2_000, subtotal=0)[0].price == 25_000
    assert shipping_methods_for(channel=channel, province=can_tho, weight_g=31_000, subtotal=0) == []


def test_free_above_threshold(channel, regions):
    hanoi = Province.objects.get(code="01")
    assert shipping_methods_for(channel=channel, province=hanoi, weight_g=1_000, subtotal=499_999)[0].price == 25_000
    assert shipping_methods_for(channel=channel, province=hanoi, weight_g=1_000, subtotal=500_000)[0].price == 0


def test_province_zone_is_more_specific_than_region(channel, regions):
    can_tho = Province.objects.get(code="92")
    local = ShippingZone.objects.create(name="Nội tỉnh Cần Thơ")
    local.provinces.add(can_tho)
    local.channels.add(channel)
    ShippingMethod.objects.create(zone=local, name="Giao nhanh nội tỉnh", price_amount=15_000, max_weight_g=10_000,
                                  minimum_delivery_days=0, maximum_delivery_days=1)
    quotes = shipping_methods_for(channel=channel, province=can_tho, weight_g=1_000, subtotal=0)
    assert [q.method.name for q in quotes] == ["Giao nhanh nội tỉnh"]
    other = Province.objects.get(code="96")
    assert shipping_methods_for(channel=channel, province=other, weight_g=1_000, subtotal=0)[0].price == 25_000


def test_other_channel_gets_nothing(regions):
    from tests.factories import make_channel

    assert shipping_methods_for(channel=make_channel("export"), province=Province.objects.get(code="01"),
                                weight_g=1, subtotal=0) == []


def test_defaults_are_idempotent(channel, regions):
    count = ShippingMethod.objects.count()
    shipping_defaults_ensure(channel=channel)
    assert ShippingMethod.objects.count() == count == 15


def test_method_create_rules(channel, regions, program_staff, coop_staff):
    zone = regions["north"]
    with pytest.raises(PermissionDenied):
        shipping_method_create(actor=coop_staff, zone=zone, data={"name": "x", "price_amount": 1})
    with pytest.raises(ValidationError) as exc:
        shipping_method_create(actor=program_staff, zone=zone,
                               data={"name": "", "price_amount": -1, "min_weight_g": 10, "max_weight_g": 5})
    assert set(exc.value.error_dict) == {"name", "price_amount", "max_weight_g"}
    method = shipping_method_create(actor=program_staff, zone=zone, data={"name": "Hỏa tốc", "price_amount": 60_000,
                                                                          "max_weight_g": 5_000})
    assert method.price_amount == 60_000
