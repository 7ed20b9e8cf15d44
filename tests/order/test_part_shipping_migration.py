"""The data migration that puts an order's shipping fee onto its first part not cancelled, run on
parts written before parts carried it."""
import importlib

import pytest
from django.apps import apps

from storefront.order.models import Fulfillment
from tests.checkout.helpers import place_order
from tests.factories import make_product

pytestmark = pytest.mark.django_db

migration = importlib.import_module("storefront.order.migrations.0003_cash_on_delivery_refusal_and_part_shipping")


def test_the_first_open_part_carries_the_shipping(channel, variant, other_coop, customer, shipping_method):
    veg = make_product(other_coop, channel, name="Cải ngọt", price=20_000, stock=5).variants.get()
    whole = place_order(channel, [(variant, 1), (veg, 1)], actor=customer)
    first_cancelled = place_order(channel, [(variant, 1), (veg, 1)], actor=customer)
    Fulfillment.objects.update(shipping_amount=0)  # as they were written before the migration
    Fulfillment.objects.filter(order=first_cancelled, fulfillment_order=1).update(status="canceled")

    migration.shipping_onto_first_open_part(apps, None)

    def shipping(order):
        return list(order.fulfillments.order_by("fulfillment_order").values_list("shipping_amount", flat=True))

    assert shipping(whole) == [30_000, 0]
    assert shipping(first_cancelled) == [0, 30_000]
    migration.shipping_onto_first_open_part(apps, None)  # run again: still once per order
    assert shipping(whole) == [30_000, 0]
