"""The XLSX files read back with openpyxl: titles, headings, numbered columns, groups, totals."""
import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from storefront.supply import reports, services, xlsx
from tests.supply.fixtures import WEEK_FROM, WEEK_TO, sales_week
from tests.supply.test_needs import NEED


def rows_of(content: bytes):
    sheet = load_workbook(BytesIO(content)).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def row_starting(rows, *values):
    return next(row for row in rows if tuple(row[:len(values)]) == values)


@pytest.mark.django_db
def test_weekly_report_xlsx(coop, other_coop, product, combo, channel, program_staff):
    sales_week(coop=coop, other_coop=other_coop, product=product, combo=combo, channel=channel)
    report = reports.sales_report(actor=program_staff, date_from=WEEK_FROM, date_to=WEEK_TO)
    sheet, rows = rows_of(xlsx.sales_xlsx(report, issued_on=datetime.date(2026, 11, 23)))
    assert rows[0][0] == "BÁO CÁO KẾT QUẢ KẾT NỐI TIÊU THỤ SẢN PHẨM CHO CÁC HTX, THT"
    assert rows[1][0] == "(Từ ngày 16/11/2026 đến ngày 22/11/2026)"
    header = rows[4]
    assert header[:5] == ["TT", "Sản phẩm", "Đơn vị tính", "Số lượng", "Thông tin về HTX, THT được tiêu thụ sản phẩm"]
    assert header[5] == "Chi tiết số lượng sản phẩm theo kênh tiêu thụ"
    assert header[13] == "Thương mại điện tử (HTX Market)"
    assert header[15:17] == ["Khó khăn, vướng mắc", "Giải pháp, kiến nghị"]
    assert rows[5][5].startswith("Chợ truyền thống; chợ đầu mối") and rows[5][7].startswith("Hệ thống siêu thị")
    assert rows[5][9] == "Doanh nghiệp chế biến" and rows[5][11] == "Doanh nghiệp xuất khẩu"
    assert rows[6][5:15] == ["Số lượng", "Tên đơn vị"] * 5
    assert rows[7] == [f"({n})" for n in range(1, 14)] + ["(16)", "(17)", "(14)", "(15)"]
    assert "F5:M5" in {str(r) for r in sheet.merged_cells.ranges}

    assert row_starting(rows, 1, "Gạo") and row_starting(rows, 2, "Trái cây") and row_starting(rows, 3, "Đặc sản khác")
    rice = row_starting(rows, "1.2", "Gạo ST25", "tấn")
    assert rice[3] == 80 and isinstance(rice[3], int)
    assert rice[4].startswith("HTX Nông nghiệp Vĩnh Bình\nĐịa chỉ: Ấp 1, ")
    assert "Điện thoại: 0918 427 315" in rice[4]  # as on every page, not E.164
    assert sheet.cell(row=rows.index(rice) + 1, column=4).number_format == "#,##0"
    assert rice[7:9] == [30, "Mê Kông Mart; Co.op Mart"] and rice[11:13] == [50, "Lương thực Sông Hậu"]
    assert rice[5] is None and rice[13] is None
    assert rice[15:17] == ["Giá lúa giảm", "Kết nối thêm siêu thị"]
    online = row_starting(rows, "1.3", "Gạo ST25 Vĩnh Bình – túi 5 kg", "kg")
    assert online[13:15] == [20, "HTX Market"]
    tonnes = row_starting(rows, None, "Tổng cộng", "tấn")
    assert tonnes[3] == 115 and tonnes[5] == 35 and tonnes[7] == 30 and tonnes[9] == 0 and tonnes[11] == 50
    assert row_starting(rows, None, "Tổng cộng", "tạ")[9] == 20
    flat = [value for row in rows for value in row if isinstance(value, str)]
    assert "Ghi chú:" in flat
    assert "Hà Nội, ngày 23 tháng 11 năm 2026" in flat
    assert "CHỦ TỊCH LIÊN MINH HỢP TÁC XÃ" in flat and "(Ký tên, đóng dấu)" in flat


@pytest.mark.django_db
def test_daily_needs_xlsx(coop, coop_staff, program_staff):
    services.need_create(actor=coop_staff, cooperative=coop, data={**NEED, "unit_price_thousand_vnd": "28,5"})
    report = reports.needs_daily_report(actor=program_staff, day="2026-11-20", province="92")
    _sheet, rows = rows_of(xlsx.needs_xlsx(report))
    assert rows[0][0] == "DANH SÁCH CÁC HTX, THT CÓ NHU CẦU TIÊU THỤ SẢN PHẨM"
    assert rows[1][0] == "Ngày 20 tháng 11 năm 2026"
    assert rows[2][0] == "Tỉnh, thành phố: Thành phố Cần Thơ"
    assert rows[4][:4] == ["TT", "Sản phẩm", "Thông tin về HTX, THT", "Thông tin sản phẩm"]
    assert rows[4][11] == "Dự kiến số lượng sản phẩm theo kênh tiêu thụ"
    assert rows[5][3:11] == ["Diện tích (ha)", "Đơn vị tính", "Số lượng cần tiêu thụ", "Tiêu chuẩn sản phẩm",
                             "Quy cách sản phẩm", "Thời gian giao hàng", "Địa điểm giao hàng", "Đơn giá (nghìn đồng)"]
    assert rows[6] == [f"({n})" for n in range(1, 16)]
    assert rows[7][:2] == [1, "Gạo"]
    need = rows[8]
    assert need[0] == "1.1" and need[1] == "Gạo ST25" and need[2].startswith("HTX Nông nghiệp Vĩnh Bình")
    assert need[3:6] == [180, "tấn", 300]
    assert need[10] == 28.5
    assert need[11:15] == [80, 100, 0, 120]
    assert row_starting(rows, None, "Tổng cộng")[5] == 300


@pytest.mark.django_db
def test_distributor_xlsx(coop, distributor, distributor_staff):
    services.distributor_purchase_create(actor=distributor_staff, distributor=distributor, data={
        "cooperative": coop, "purchased_on": "2026-11-18", "product_name": "Xoài cát chu", "product_group": "trai_cay",
        "unit": "tấn", "quantity": "10", "sold_hcmc": "6,5", "sold_hanoi": "3", "sold_other": "0,5"})
    report = reports.distributor_report(actor=distributor_staff, date_from=WEEK_FROM, date_to=WEEK_TO,
                                        distributor=distributor)
    _sheet, rows = rows_of(xlsx.distributor_xlsx(report))
    assert rows[0][0] == "LIÊN HIỆP HTX THƯƠNG MẠI THÀNH PHỐ"
    assert rows[1][0] == "BÁO CÁO KẾT QUẢ TIÊU THỤ SẢN PHẨM CHO CÁC HTX, THT"
    assert rows[4][:6] == ["TT", "Sản phẩm", "Đơn vị tính", "Số lượng tiêu thụ",
                           "Tên, địa chỉ HTX, THT được tiêu thụ sản phẩm",
                           "Chi tiết số lượng sản phẩm thu mua để tiêu thụ theo địa bàn"]
    assert rows[5][5:8] == ["TP. Hồ Chí Minh", "TP. Hà Nội", "Tỉnh, TP khác"]
    assert rows[6] == [f"({n})" for n in range(1, 11)]
    assert rows[7][:2] == [1, "Trái cây"]
    assert rows[8][:4] == ["1.1", "Xoài cát chu", "tấn", 10] and rows[8][5:8] == [6.5, 3, 0.5]
    flat = [value for row in rows for value in row if isinstance(value, str)]
    assert "TỔNG GIÁM ĐỐC" in flat and "Lê Thị Hoa" in flat
