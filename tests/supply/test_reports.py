"""The reports' totals against the hand-computed week of tests/supply/fixtures.py."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from storefront.supply import reports, services
from storefront.supply.models import SalesChannel
from tests.supply.fixtures import WEEK_FROM, WEEK_TO, sales_week
from tests.supply.test_needs import NEED


@pytest.fixture
def week(coop, other_coop, product, combo, channel):
    sales_week(coop=coop, other_coop=other_coop, product=product, combo=combo, channel=channel)


def flat(report):
    """{(section label, cooperative, product, unit): {channel: quantity}} without zero cells."""
    return {
        (section.label, row.cooperative.name, row.product_name, row.unit):
            {str(c): q.quantity for c, q in row.cells.items() if q.quantity}
        for section in report.sections for row in section.rows
    }


def totals(report):
    return {t.unit: ({str(c): q for c, q in t.by_channel.items() if q}, t.total) for t in report.totals}


@pytest.mark.django_db
def test_weekly_report_by_group_cooperative_and_channel(week, program_staff):
    report = reports.sales_report(actor=program_staff, date_from=WEEK_FROM, date_to=WEEK_TO)
    assert [s.label for s in report.sections] == ["Gạo", "Trái cây", "Đặc sản khác"]
    assert [s.number for s in report.sections] == [1, 2, 3]
    vb, dl = "HTX Nông nghiệp Vĩnh Bình", "HTX Rau an toàn Đà Lạt"
    assert flat(report) == {
        ("Gạo", vb, "Gạo combo", "cái"): {"online": 4},
        ("Gạo", vb, "Gạo ST25", "tấn"): {"distributor": 30, "exporter": 50},
        ("Gạo", vb, "Gạo ST25 Vĩnh Bình – túi 5 kg", "kg"): {"online": 20},
        ("Gạo", dl, "Cải ngọt VietGAP", "cái"): {"online": 2},
        ("Trái cây", dl, "Thanh long", "tấn"): {"market": 35},
        ("Trái cây", dl, "Thanh long", "tạ"): {"processor": 20},
        ("Đặc sản khác", dl, "Mật ong", "hũ"): {"market": 40},
    }
    rice = report.sections[0].rows[1]
    assert rice.number == "1.2"
    assert rice.total == 80
    assert rice.cells[SalesChannel.DISTRIBUTOR].buyers == ["Mê Kông Mart", "Co.op Mart"]
    assert rice.difficulties == ["Giá lúa giảm"] and rice.proposals == ["Kết nối thêm siêu thị"]
    assert report.sections[0].rows[2].cells[SalesChannel.ONLINE].buyers == ["HTX Market"]
    assert totals(report) == {
        "tấn": ({"market": 35, "distributor": 30, "exporter": 50}, 115),
        "kg": ({"online": 20}, 20),
        "cái": ({"online": 6}, 6),
        "tạ": ({"processor": 20}, 20),
        "hũ": ({"market": 40}, 40),
    }


@pytest.mark.django_db
def test_charts_put_mass_units_in_tonnes_and_count_the_rest(week, program_staff):
    report = reports.sales_report(actor=program_staff, date_from=WEEK_FROM, date_to=WEEK_TO)
    by_channel, by_group, by_week = report.charts
    assert [(b.label, b.value) for b in by_channel.bars] == [
        (str(SalesChannel.MARKET.label), 35), (str(SalesChannel.DISTRIBUTOR.label), 30),
        (str(SalesChannel.PROCESSOR.label), 2), (str(SalesChannel.EXPORTER.label), 50),
        (str(SalesChannel.ONLINE.label), Decimal("0.02"))]
    assert by_channel.left_out == 3  # two combo components in cái, the honey in hũ
    assert [(b.label, b.value) for b in by_group.bars] == [("Gạo", Decimal("80.02")), ("Trái cây", 37)]
    assert [(b.label, b.value) for b in by_week.bars] == [("Tuần 47/2026", Decimal("117.02"))]


@pytest.mark.django_db
def test_any_date_range_buckets_by_week(week, program_staff):
    report = reports.sales_report(actor=program_staff, date_from="2026-11-16", date_to="24/11/2026")
    assert [(b.label, b.value) for b in report.charts[2].bars] == [
        ("Tuần 47/2026", Decimal("117.02")), ("Tuần 48/2026", Decimal("7.01"))]  # 7 t + 2 bags of 5 kg
    assert totals(report)["tấn"] == ({"market": 42, "distributor": 30, "exporter": 50}, 122)


@pytest.mark.django_db
def test_province_filter_and_who_sees_what(week, program_staff, alliance_staff, coop_staff, other_coop_staff,
                                          customer):
    cantho = reports.sales_report(actor=program_staff, date_from=WEEK_FROM, date_to=WEEK_TO, province="Cần Thơ")
    expected = {("Gạo", "HTX Nông nghiệp Vĩnh Bình", "Gạo combo", "cái"): {"online": 4},
                ("Gạo", "HTX Nông nghiệp Vĩnh Bình", "Gạo ST25", "tấn"): {"distributor": 30, "exporter": 50},
                ("Gạo", "HTX Nông nghiệp Vĩnh Bình", "Gạo ST25 Vĩnh Bình – túi 5 kg", "kg"): {"online": 20}}
    assert flat(cantho) == expected
    assert flat(reports.sales_report(actor=alliance_staff, date_from=WEEK_FROM, date_to=WEEK_TO)) == expected
    assert flat(reports.sales_report(actor=coop_staff, date_from=WEEK_FROM, date_to=WEEK_TO)) == expected
    other = reports.sales_report(actor=other_coop_staff, date_from=WEEK_FROM, date_to=WEEK_TO)
    assert {key[1] for key in flat(other)} == {"HTX Rau an toàn Đà Lạt"}
    assert flat(reports.sales_report(actor=other_coop_staff, date_from=WEEK_FROM, date_to=WEEK_TO,
                                     province="92")) == {}
    with pytest.raises(PermissionDenied):
        reports.sales_report(actor=alliance_staff, date_from=WEEK_FROM, date_to=WEEK_TO, province="68")
    with pytest.raises(PermissionDenied):
        reports.sales_report(actor=customer, date_from=WEEK_FROM, date_to=WEEK_TO)


@pytest.mark.django_db
@pytest.mark.parametrize("date_from, date_to, field, code", [
    ("2026-11-22", "2026-11-16", "date_to", "invalid_date_range"),
    ("2025-01-01", "2026-12-31", "date_to", "invalid_date_range"),
    ("hôm qua", "2026-11-16", "date_from", "invalid"),
    ("", "2026-11-16", "date_from", "required"),
])
def test_bad_periods_get_clear_errors(program_staff, date_from, date_to, field, code):
    with pytest.raises(ValidationError) as excinfo:
        reports.sales_report(actor=program_staff, date_from=date_from, date_to=date_to)
    assert [e.code for e in excinfo.value.error_dict[field]] == [code]


@pytest.mark.django_db
def test_unknown_province_is_an_error(program_staff):
    with pytest.raises(ValidationError) as excinfo:
        reports.sales_report(actor=program_staff, date_from=WEEK_FROM, date_to=WEEK_TO, province="Sao Hỏa")
    assert "province" in excinfo.value.error_dict


@pytest.mark.django_db
def test_daily_needs_list(coop, other_coop, coop_staff, other_coop_staff, program_staff, alliance_staff):
    day = datetime.date(2026, 11, 20)
    rice = services.need_create(actor=coop_staff, cooperative=coop, data=NEED)
    services.need_create(actor=coop_staff, cooperative=coop, data={
        **NEED, "product_name": "Gạo ST24", "quantity": "2000", "unit": "kg", "planned_market": "500",
        "planned_distributor": "500", "planned_processor": "0", "planned_exporter": "1000"})
    services.need_create(actor=other_coop_staff, cooperative=other_coop, data={
        **NEED, "product_name": "Thanh long ruột trắng", "product_group": "trai_cay", "quantity": "120",
        "planned_market": "60", "planned_distributor": "20", "planned_processor": "30", "planned_exporter": "10"})
    services.need_create(actor=other_coop_staff, cooperative=other_coop, data={
        **NEED, "need_date": "2026-11-21", "product_name": "Declared tomorrow"})
    closed = services.need_create(actor=coop_staff, cooperative=coop, data={**NEED, "need_date": "2026-11-01",
                                                                            "product_name": "Closed earlier"})
    services.need_close(actor=coop_staff, need=closed)  # closed today, after the 20th: still open on the 20th

    report = reports.needs_daily_report(actor=program_staff, day=day)
    names = [[r.need.product_name for r in s.rows] for s in report.sections]
    assert [s.label for s in report.sections] == ["Gạo", "Trái cây"]
    assert names == [["Closed earlier", "Gạo ST24", "Gạo ST25"], ["Thanh long ruột trắng"]]
    by_unit = {t.unit: (t.quantity, t.planned) for t in report.totals}
    assert by_unit == {"tấn": (720, [220, 220, 30, 250]), "kg": (2000, [500, 500, 0, 1000])}
    assert [(b.label, b.value) for b in report.charts[0].bars] == [
        (str(SalesChannel.MARKET.label), Decimal("220.5")), (str(SalesChannel.DISTRIBUTOR.label), Decimal("220.5")),
        (str(SalesChannel.PROCESSOR.label), 30), (str(SalesChannel.EXPORTER.label), 251)]

    after_close = reports.needs_daily_report(actor=program_staff, day=timezone.localdate())
    assert "Closed earlier" not in [r.need.product_name for s in after_close.sections for r in s.rows]
    mine = reports.needs_daily_report(actor=alliance_staff, day=day)
    assert {r.need.cooperative for s in mine.sections for r in s.rows} == {coop}
    assert rice.pk in {r.need.pk for s in mine.sections for r in s.rows}


@pytest.mark.django_db
def test_distributor_report_by_destination(coop, other_coop, distributor, distributor_staff, program_staff,
                                           coop_staff):
    from storefront.supply.models import Distributor

    base = {"purchased_on": "2026-11-18", "product_name": "Xoài cát chu", "product_group": "trai_cay",
            "unit": "tấn"}
    services.distributor_purchase_create(actor=distributor_staff, distributor=distributor, data={
        **base, "cooperative": coop.pk, "quantity": "10", "sold_hcmc": "6", "sold_hanoi": "3", "sold_other": "1",
        "difficulties": "Thiếu xe lạnh"})
    services.distributor_purchase_create(actor=distributor_staff, distributor=distributor, data={
        **base, "cooperative": coop, "quantity": "4", "sold_hcmc": "4", "purchased_on": "2026-11-20"})
    services.distributor_purchase_create(actor=distributor_staff, distributor=distributor, data={
        **base, "cooperative": other_coop, "product_name": "Gạo ST25", "product_group": "gao", "unit": "kg",
        "quantity": "500", "sold_other": "500"})
    outsider = Distributor.objects.create(name="Công ty khác", slug="khac")
    services.distributor_purchase_create(actor=program_staff, distributor=outsider, data={
        **base, "cooperative": coop, "quantity": "99"})

    report = reports.distributor_report(actor=distributor_staff, date_from=WEEK_FROM, date_to=WEEK_TO)
    rows = [(s.label, r.product_name, r.unit, r.quantity, list(r.destinations.values()), r.difficulties)
            for s in report.sections for r in s.rows]
    assert rows == [("Gạo", "Gạo ST25", "kg", 500, [0, 0, 500], []),
                    ("Trái cây", "Xoài cát chu", "tấn", 14, [10, 3, 1], ["Thiếu xe lạnh"])]
    assert [(b.label, b.value) for b in report.charts[0].bars] == [
        ("TP. Hồ Chí Minh", 10), ("TP. Hà Nội", 3), ("Tỉnh, TP khác", Decimal("1.5"))]
    everyone = reports.distributor_report(actor=program_staff, date_from=WEEK_FROM, date_to=WEEK_TO)
    assert {t.unit: t.quantity for t in everyone.totals} == {"tấn": 113, "kg": 500}
    with pytest.raises(PermissionDenied):
        reports.distributor_report(actor=distributor_staff, date_from=WEEK_FROM, date_to=WEEK_TO,
                                   distributor=outsider)
    with pytest.raises(PermissionDenied):
        reports.distributor_report(actor=coop_staff, date_from=WEEK_FROM, date_to=WEEK_TO)


@pytest.mark.django_db
def test_only_paid_or_delivered_orders_count_as_sold(coop, product, channel, program_staff):
    from storefront.order.models import Fulfillment
    from storefront.supply.access import report_scope
    from storefront.supply.online import online_sales
    from tests.supply.conftest import at, place_order

    rice = product.variants.get()
    day = datetime.date(2026, 11, 18)
    place_order(channel, [(rice, 4)], created_at=at(day), status="unconfirmed", charge_status="none",
                gateway="htx.payments.vietqr")  # placed minutes ago, not paid: not sold
    delivered = place_order(channel, [(rice, 2)], created_at=at(day), charge_status="none")  # cash on delivery
    fulfillment = Fulfillment.objects.create(order=delivered, cooperative=coop, status=Fulfillment.Status.SHIPPED)
    delivered.lines.update(fulfillment=fulfillment)
    place_order(channel, [(rice, 1)], created_at=at(day))  # a bank transfer received
    sold = lambda: sum(s.quantity for s in online_sales(date_from=day, date_to=day,  # noqa: E731
                                                        scope=report_scope(program_staff)))
    assert sold() == 1
    Fulfillment.objects.filter(pk=fulfillment.pk).update(status=Fulfillment.Status.DELIVERED)
    assert sold() == 3


def test_chart_labels_fit_and_values_use_the_shop_number_format():
    from storefront.dashboard.supply_charts import LABEL_CHARS, bar_chart_svg
    from storefront.supply.reports import Bar, Chart

    long_label = "Hợp tác xã Nông nghiệp Dịch vụ Tổng hợp Vĩnh Bình Hưng Thạnh Đông"
    svg = str(bar_chart_svg(Chart("Theo HTX", "tấn", [Bar(long_label, Decimal("1234.5678")),
                                                       Bar("Gạo", Decimal("0.015"))])))
    assert f"<title>{long_label}: 1.234,6 tấn</title>" in svg  # the full label for screen readers
    shown = [t for t in svg.split('text-anchor="end" font-size="12">')[1:]]
    assert all(len(t.split("<", 1)[0]) <= LABEL_CHARS for t in shown) and "…" in shown[0]
    assert "0,015 tấn" in svg and 'style="max-width:100%;height:auto"' in svg
