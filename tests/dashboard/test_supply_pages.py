"""The supply pages: forms call the services and show their errors; reports on screen and as XLSX."""
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from storefront.supply.models import SalesNeed, SalesRecord
from tests.supply.fixtures import sales_week
from tests.supply.test_needs import NEED


@pytest.mark.django_db
def test_declare_edit_close_and_draft_product_through_the_pages(client, coop, coop_staff, channel):
    client.force_login(coop_staff)
    response = client.post(reverse("supply:need_create"), {**NEED, "cooperative": coop.pk, "unit": "chục",
                                                           "quantity": "-3"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Đơn vị tính “chục” không được hỗ trợ" in page and "Số lượng không được âm" in page
    assert not SalesNeed.objects.exists()

    # Channel quantities say their unit, and a wrong one says what is expected.
    blank = client.get(reverse("supply:need_create")).content.decode()
    assert "Doanh nghiệp xuất khẩu (số lượng, theo đơn vị tính)" in blank
    assert "Cùng đơn vị tính với số lượng cần tiêu thụ" in blank
    wrong = client.post(reverse("supply:need_create"), {**NEED, "cooperative": coop.pk, "planned_exporter": "mười"})
    assert wrong.status_code == 400 and not SalesNeed.objects.exists()
    assert "Cần số lượng dự kiến tiêu thụ qua kênh này, tính bằng tấn (ví dụ 12,5)" in wrong.content.decode()

    response = client.post(reverse("supply:need_create"), {**NEED, "cooperative": coop.pk})
    assert response.status_code == 302
    need = SalesNeed.objects.get()
    assert client.get(reverse("supply:needs")).content.decode().count("Gạo ST25") == 1

    edit = reverse("supply:need_edit", args=[need.pk])
    assert 'value="Bao PP 25 kg"' in client.get(edit).content.decode()
    form = {k: v for k, v in NEED.items()}
    response = client.post(edit, {**form, "quantity": "310", "planned_market": "90"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.quantity == 310

    assert client.post(reverse("supply:need_draft_product", args=[need.pk])).status_code == 302
    need.refresh_from_db()
    assert need.draft_product.channel_listings.get().is_published is False

    assert client.post(reverse("supply:need_close", args=[need.pk])).status_code == 302
    need.refresh_from_db()
    assert need.status == SalesNeed.Status.CLOSED
    response = client.post(edit, {**form, "quantity": "1"})
    assert response.status_code == 400 and "đã đóng" in response.content.decode()


@pytest.mark.django_db
def test_other_people_cannot_reach_a_cooperatives_need(client, coop, coop_staff, other_coop_staff, customer):
    client.force_login(coop_staff)
    client.post(reverse("supply:need_create"), {**NEED, "cooperative": coop.pk})
    need = SalesNeed.objects.get()
    client.force_login(other_coop_staff)
    assert client.get(reverse("supply:need_edit", args=[need.pk])).status_code == 404
    assert client.post(reverse("supply:need_close", args=[need.pk])).status_code == 404
    # Posting another cooperative's id is refused by the form's choices, nothing is written.
    response = client.post(reverse("supply:need_create"), {**NEED, "cooperative": coop.pk})
    assert response.status_code == 400
    client.force_login(customer)
    assert client.get(reverse("supply:need_create")).status_code == 403
    assert client.get(reverse("supply:report_sales")).status_code == 403
    assert SalesNeed.objects.count() == 1


@pytest.mark.django_db
def test_record_page(client, coop, coop_staff):
    client.force_login(coop_staff)
    url = reverse("supply:records")
    data = {"cooperative": coop.pk, "sold_on": "2026-11-17", "product_name": "Gạo ST25", "product_group": "gao",
            "unit": "tấn", "quantity": "25", "channel": "distributor", "buyer_name": "Mê Kông Mart"}
    bad = client.post(url, {**data, "quantity": "-1"})
    assert bad.status_code == 400 and "Số lượng không được âm" in bad.content.decode()
    assert client.post(url, data).status_code == 302
    record = SalesRecord.objects.get()
    assert "Mê Kông Mart" in client.get(url).content.decode()
    assert client.post(reverse("supply:record_delete", args=[record.pk])).status_code == 302
    assert not SalesRecord.objects.exists()


@pytest.mark.django_db
def test_sales_report_page_with_charts_and_xlsx(client, coop, other_coop, product, combo, channel, program_staff):
    sales_week(coop=coop, other_coop=other_coop, product=product, combo=combo, channel=channel)
    client.force_login(program_staff)
    url = reverse("supply:report_sales")
    response = client.get(url, {"date_from": "2026-11-16", "date_to": "2026-11-22", "province": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") == 3 and "Tuần 47/2026" in page
    assert "Mê Kông Mart; Co.op Mart" in page and "HTX Market" in page
    download = client.get(url, {"date_from": "2026-11-16", "date_to": "2026-11-22", "province": "92",
                                "format": "xlsx"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="ket-qua-tieu-thu-20261116-20261122.xlsx"' in download["Content-Disposition"]
    sheet = load_workbook(BytesIO(download.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "Tỉnh, thành phố: Thành phố Cần Thơ" in values and "Thanh long" not in values
    # What counts as sold, said on screen and in the XLSX: paid or delivered orders only.
    assert 'id="what-counts-as-sold"' in page and "chỉ tính đơn đã thanh toán" in page
    assert any("Chỉ tính là đã tiêu thụ khi đơn đã thanh toán" in str(v) for v in values)

    wrong_way = client.get(url, {"date_from": "2026-11-22", "date_to": "2026-11-16"})
    assert wrong_way.status_code == 400
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu" in wrong_way.content.decode()
    assert client.get(url, {"date_from": "2026-11-22", "date_to": "2026-11-16", "format": "xlsx"}).status_code == 400


@pytest.mark.django_db
def test_needs_and_distributor_report_pages(client, coop, coop_staff, alliance_staff, distributor, distributor_staff):
    client.force_login(coop_staff)
    client.post(reverse("supply:need_create"), {**NEED, "cooperative": coop.pk})
    client.force_login(alliance_staff)
    page = client.get(reverse("supply:report_needs"), {"day": "2026-11-20"}).content.decode()
    assert "Gạo ST25" in page and "<svg" in page
    other_province = client.get(reverse("supply:report_needs"), {"day": "2026-11-20", "province": "68"})
    assert other_province.status_code == 400  # not among the alliance's provinces offered by the form
    assert "Gạo ST25" not in other_province.content.decode()
    xlsx = client.get(reverse("supply:report_needs"), {"day": "2026-11-20", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    client.force_login(distributor_staff)
    url = reverse("supply:purchases")
    response = client.post(url, {"distributor": distributor.pk, "cooperative": coop.pk, "purchased_on": "2026-11-18",
                                 "product_name": "Xoài", "product_group": "trai_cay", "unit": "tấn", "quantity": "5",
                                 "sold_hcmc": "5"})
    assert response.status_code == 302
    page = client.get(reverse("supply:report_distributor"),
                      {"date_from": "2026-11-16", "date_to": "2026-11-22"}).content.decode()
    assert "Xoài" in page and distributor.name in page
    assert client.get(reverse("supply:report_sales")).status_code == 403
    client.force_login(coop_staff)
    assert client.get(reverse("supply:purchases")).status_code == 403
    assert client.get(reverse("supply:index")).status_code == 200


@pytest.mark.django_db
def test_every_page_opens_with_its_defaults(client, coop, program_staff):
    client.force_login(program_staff)
    for name in ("supply:index", "supply:report_needs", "supply:report_sales", "supply:report_distributor",
                 "supply:needs", "supply:need_create", "supply:records", "supply:purchases"):
        assert client.get(reverse(name)).status_code == 200, name
