"""The weekly report shows what expired unsold in the shop's lots (units, kg, value) next to what sold."""
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from storefront.product.models import ProductVariantChannelListing
from storefront.supply import reports, xlsx
from storefront.warehouse.lots import sales_date
from storefront.warehouse.models import Stock
from storefront.warehouse.services import stock_lot_create, stock_lots_expire
from tests.checkout.helpers import place_order

pytestmark = pytest.mark.django_db
TODAY = sales_date()


@pytest.fixture
def wasted(variant, coop_staff, channel, shipping_method):
    """1 kg bags at 45,000 ₫: 2 sold, then a lot of 5 (3 sold first) expires: 2 bags wasted today."""
    ProductVariantChannelListing.objects.filter(variant=variant).update(price_amount=45_000)
    Stock.objects.filter(product_variant=variant).update(quantity=0)
    stock_lot_create(actor=coop_staff, variant=variant, warehouse=variant.product.cooperative.warehouses.get(),
                     quantity=5, code="RAU-1", harvest_date=TODAY - timedelta(days=3), best_before=TODAY + timedelta(days=1))
    place_order(channel, [(variant, 3)])
    stock_lots_expire(today=TODAY + timedelta(days=2))
    return variant


def test_the_week_shows_expired_units_kilograms_and_value_next_to_sales(wasted, program_staff):
    report = reports.sales_report(actor=program_staff, date_from=TODAY - timedelta(days=TODAY.weekday()),
                                  date_to=TODAY)
    (week,) = report.waste
    assert (week.sold_units, str(week.sold_kg), week.sold_value) == (3, "3.000", 135_000)
    assert (week.expired_units, str(week.expired_kg), week.expired_value) == (2, "2.000", 90_000)
    assert str(week.expired_share) == "40.0"


def test_each_cooperative_sees_only_its_own_waste(wasted, other_coop_staff):
    report = reports.sales_report(actor=other_coop_staff, date_from=TODAY - timedelta(days=TODAY.weekday()),
                                  date_to=TODAY)
    assert [(w.expired_units, w.sold_units) for w in report.waste] == [(0, 0)]


def test_the_waste_is_on_screen_and_in_the_xlsx(client, wasted, program_staff):
    client.force_login(program_staff)
    monday = TODAY - timedelta(days=TODAY.weekday())
    params = {"date_from": monday.isoformat(), "date_to": TODAY.isoformat()}
    page = client.get(reverse("supply:report_sales"), params).content.decode()
    assert "Hàng hết hạn không bán được trên HTX Market" in page and "90.000 ₫" in page
    workbook = load_workbook(io.BytesIO(client.get(reverse("supply:report_sales"),
                                                   {**params, "format": "xlsx"}).content))
    sheet = workbook["Hang het han"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows == [(f"Tuần {TODAY.isocalendar()[1]}/{TODAY.isocalendar()[0]}", 3, 3, 135_000, 2, 2, 90_000, 40, 0, 0)]
    assert xlsx.sales_xlsx(reports.sales_report(actor=program_staff, date_from=monday, date_to=TODAY))


def test_returned_goods_written_off_as_damaged_count_as_waste(variant, channel, shipping_method, customer, coop_staff,
                                                             program_staff, other_coop_staff):
    """2 of 3 bags (45,000 ₫ each, 1 kg) come back damaged and are written off: 2 units, 2 kg, 90,000 ₫ refunded."""
    from storefront.order.returns import return_accept, return_request_create
    from storefront.order.services import fulfillment_deliver, order_fulfill, order_mark_as_paid
    from storefront.payment.gateways import VIETQR

    ProductVariantChannelListing.objects.filter(variant=variant).update(price_amount=45_000)
    order = place_order(channel, [(variant, 3)], actor=customer, gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT1")
    order_fulfill(order=order, lines={str(line.pk): 3 for line in order.lines.all()}, tracking_number="VN1",
                  actor=coop_staff)
    fulfillment_deliver(fulfillment=order.fulfillments.get(), actor=coop_staff)
    line = order.lines.get()
    order_return = return_request_create(order=order, actor=customer, lines={line: 2}, reason="Bao rách, gạo ướt",
                                         refund_method="cash")
    return_accept(order_return=order_return, actor=coop_staff, write_off=[line.pk])
    monday = TODAY - timedelta(days=TODAY.weekday())
    (week,) = reports.sales_report(actor=program_staff, date_from=monday, date_to=TODAY).waste
    assert (week.damaged_units, str(week.damaged_kg), week.damaged_value) == (2, "2.000", 90_000)
    (week,) = reports.sales_report(actor=other_coop_staff, date_from=monday, date_to=TODAY).waste
    assert week.damaged_units == 0
