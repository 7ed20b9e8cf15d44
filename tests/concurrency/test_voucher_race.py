"""A stampede of checkouts on a voucher limited to 10 uses, on PostgreSQL: the use is counted at
completion under the voucher's row lock, so exactly 10 orders get it and the other 30 are refused
(VOUCHER_NOT_APPLICABLE) with nothing written; cancelling one gives its use back."""

import pytest

from storefront.discount.models import VoucherCustomer
from storefront.discount.services import voucher_create
from storefront.order.models import Order
from storefront.order.services import order_cancel
from storefront.warehouse.models import Stock
from tests.checkout.helpers import ready_checkout
from tests.concurrency import POSTGRESQL_ONLY
from tests.concurrency.test_race import _race
from tests.factories import make_product

pytestmark = POSTGRESQL_ONLY


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_voucher_limited_to_ten_uses_is_used_ten_times(channel, coop, shipping_method, program_staff):
    from storefront.checkout.services import checkout_add_promo_code

    variant = make_product(coop, channel, name="Gạo khuyến mãi", price=100_000, stock=100).variants.get()
    voucher = voucher_create(actor=program_staff, code="MUOILUOT", discount_value=10, usage_limit=10)
    tokens = []
    for i in range(40):
        checkout = ready_checkout(channel, [(variant, 1)], email=f"k{i}@example.com")
        checkout_add_promo_code(checkout=checkout, promo_code="MUOILUOT")
        tokens.append(checkout.pk)

    results = _race(tokens)

    assert not [r for r in results if "crash" in r], results
    assert sum("order" in r for r in results) == 10
    assert all(r == {"codes": ["voucher_not_applicable"]} for r in results if "order" not in r), results
    voucher.refresh_from_db()
    assert voucher.used == 10 and VoucherCustomer.objects.filter(voucher=voucher).count() == 10
    orders = Order.objects.all()
    assert orders.count() == 10 and all(o.voucher_id == voucher.pk and o.subtotal_amount == 90_000 for o in orders)
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 10  # the refused placed nothing

    order_cancel(order=orders.first(), actor=program_staff)
    voucher.refresh_from_db()
    assert voucher.used == 9 and VoucherCustomer.objects.filter(voucher=voucher).count() == 9
