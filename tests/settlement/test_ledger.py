import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from storefront.order.services import fulfillment_deliver, fulfillment_ship, order_mark_as_paid
from storefront.payment.gateways import VIETQR
from storefront.settlement.models import LedgerEntry
from storefront.settlement.selectors import ledger_balance, ledger_entries
from storefront.settlement.services import payout_record, settlement_book_delivery
from tests.checkout.helpers import codes, place_order
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(channel, coop, coop_staff, program_staff, shipping_method, settings):
    """A prepaid (VietQR) part delivered: the program holds the money, the ledger its sale and fee."""
    settings.SETTLEMENT_FEE_PERCENT = "5"
    variant = make_product(coop, channel, name="Mật ong", price=100_010, stock=5).variants.get()
    order = place_order(channel, [(variant, 1)], gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount)
    fulfillment = order.fulfillments.get()
    fulfillment_ship(fulfillment=fulfillment, actor=coop_staff, tracking_number="T")
    fulfillment_deliver(fulfillment=fulfillment, actor=coop_staff)
    return fulfillment


def test_delivery_books_sale_and_fee_rounded_half_up(delivered, coop):
    entries = {e.kind: e.amount for e in LedgerEntry.objects.filter(fulfillment=delivered)}
    assert entries == {"sale": 100_010, "fee": -5_001}  # 5% of 100,010 = 5,000.5 -> 5,001
    assert ledger_balance(cooperative=coop) == 95_009
    assert settlement_book_delivery(fulfillment=delivered) == []  # once only
    assert ledger_balance(cooperative=coop) == 95_009


def test_payouts(delivered, coop, program_staff, coop_staff, other_coop_staff):
    for actor in (coop_staff, other_coop_staff, None):
        with pytest.raises(PermissionDenied):
            payout_record(cooperative=coop, actor=actor, amount=1, reference="UNC-1")
    with pytest.raises(ValidationError) as exc:
        payout_record(cooperative=coop, actor=program_staff, amount=95_010, reference="UNC-1")
    assert codes(exc.value) == {"amount": ["insufficient_balance"]}
    for amount in (0, -1, 1.0):
        with pytest.raises(ValidationError) as exc:
            payout_record(cooperative=coop, actor=program_staff, amount=amount, reference="UNC-1")
        assert codes(exc.value) == {"amount": ["invalid"]}
    with pytest.raises(ValidationError) as exc:
        payout_record(cooperative=coop, actor=program_staff, amount=1, reference=" ")
    assert codes(exc.value) == {"reference": ["required"]}
    payout_record(cooperative=coop, actor=program_staff, amount=95_009, reference="UNC-1", note="Tháng 11")
    assert ledger_balance(cooperative=coop) == 0
    assert [e.kind for e in ledger_entries(actor=coop_staff, cooperative=coop)][0] == "payout"
    with pytest.raises(PermissionDenied):
        ledger_entries(actor=other_coop_staff, cooperative=coop)


def test_balances_of_every_cooperative_past_approval_in_one_query(program_staff, coop, other_coop, coop_staff,
                                                                  django_assert_num_queries):
    from django.core.exceptions import PermissionDenied

    from storefront.settlement.models import LedgerEntry
    from storefront.settlement.selectors import ledger_balances
    from tests.factories import make_cooperative

    make_cooperative("HTX Chờ duyệt", status="pending")
    LedgerEntry.objects.create(cooperative=coop, kind=LedgerEntry.Kind.SALE, amount=500_000)
    LedgerEntry.objects.create(cooperative=coop, kind=LedgerEntry.Kind.FEE, amount=-25_000)
    with django_assert_num_queries(1):
        rows = ledger_balances(actor=program_staff)
    assert sorted((c.pk, balance) for c, balance in rows) == sorted([(coop.pk, 475_000), (other_coop.pk, 0)])
    assert [c.name for c, _ in rows] == sorted(c.name for c, _ in rows)
    with pytest.raises(PermissionDenied):
        ledger_balances(actor=coop_staff)
