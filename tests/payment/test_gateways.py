import pytest

from storefront.payment.gateways import COD, VIETQR, available_gateways, gateway_for

pytestmark = pytest.mark.django_db


def test_gateways_offered(channel):
    assert [g.id for g in available_gateways(channel)] == [COD, VIETQR]


def test_only_a_transfer_holds_the_order_for_its_money(channel):
    assert (gateway_for(COD, channel).awaits_payment, gateway_for(VIETQR, channel).awaits_payment) == (False, True)
