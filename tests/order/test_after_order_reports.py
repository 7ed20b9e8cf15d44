"""The weekly reports after cancellations and refusals (orders placed through the services, today):
only what is paid or delivered counts as sold, and never a cancelled or refused part."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from storefront.order.services import (fulfillment_cancel, fulfillment_deliver, fulfillment_refuse, fulfillment_ship,
                                       order_mark_as_paid)
from storefront.payment.gateways import VIETQR
from storefront.supply import reports, xlsx
from storefront.supply.access import report_scope
from storefront.supply.online import online_sales, quantity_in_unit
from storefront.warehouse.lots import sales_date
from tests.checkout.helpers import place_order
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def test_reports_follow_cancelled_and_refused_parts(channel, coop, other_coop, variant, customer, shipping_method,
                                                    coop_staff, other_coop_staff, program_staff):
    veg = make_product(other_coop, channel, name="Cải ngọt", price=20_000, stock=10).variants.get()
    prepaid = place_order(channel, [(variant, 2), (veg, 3)], actor=customer, gateway=VIETQR)
    order_mark_as_paid(order=prepaid, actor=program_staff, amount=480_000)
    fulfillment_cancel(fulfillment=prepaid.fulfillments.get(cooperative=other_coop), actor=other_coop_staff,
                       reason="Mưa lớn")
    cod = place_order(channel, [(variant, 1), (veg, 2)], actor=customer)
    rice_part, veg_part = cod.fulfillments.get(cooperative=coop), cod.fulfillments.get(cooperative=other_coop)
    fulfillment_ship(fulfillment=rice_part, actor=coop_staff, tracking_number="GHN1")
    fulfillment_deliver(fulfillment=rice_part, actor=coop_staff, cash_collected=195_000 + 30_000)
    fulfillment_ship(fulfillment=veg_part, actor=other_coop_staff, tracking_number="VTP2")
    fulfillment_refuse(fulfillment=veg_part, actor=other_coop_staff, reason="Khách không nhận")

    today = sales_date()
    sold = online_sales(date_from=today, date_to=today, scope=report_scope(program_staff))
    assert {sale.cooperative.pk for sale in sold} == {coop.pk}  # the vegetables were cancelled, then refused
    assert sum(sale.quantity for sale in sold) == quantity_in_unit(variant.product, 2 + 1)[0]

    report = reports.sales_report(actor=program_staff, date_from=today, date_to=today)
    week = report.waste[-1]
    # 2 + 1 bags of rice at 195.000 ₫: the cancelled and refused vegetables (60.000 and 40.000 ₫) are not sold.
    assert (week.sold_units, week.sold_value) == (3, 585_000)
    sheet = load_workbook(BytesIO(xlsx.sales_xlsx(report)))["Hang het han"]
    row = [cell.value for cell in list(sheet.iter_rows())[-1]]
    assert (row[1], row[3]) == (3, 585_000)
