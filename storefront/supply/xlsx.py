"""The three reports as XLSX workbooks laid out like the program's paper forms: title, date line,
grouped headings over numbered columns `(1)`, `(2)` …, one heading row per product group with its
rows under it, totals per unit, notes and a signature block. Headings stay in Vietnamese whatever the
reader's language: the files go to the program, whose forms are Vietnamese. Quantities are numbers.
"""
from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from storefront.core.phone import format_vn_phone

from .reports import DESTINATIONS, DistributorReport, NeedsReport, SalesReport, plain
from .models import SalesChannel

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
BOLD = Font(bold=True)

CHANNEL_HEADINGS = {
    SalesChannel.MARKET: "Chợ truyền thống; chợ đầu mối; trung tâm/cửa hàng giới thiệu, bán sản phẩm "
                         "tại tỉnh, thành phố",
    SalesChannel.DISTRIBUTOR: "Hệ thống siêu thị, doanh nghiệp phân phối",
    SalesChannel.PROCESSOR: "Doanh nghiệp chế biến",
    SalesChannel.EXPORTER: "Doanh nghiệp xuất khẩu",
    SalesChannel.ONLINE: "Thương mại điện tử (HTX Market)",
}
OFFICIAL_CHANNELS = (SalesChannel.MARKET, SalesChannel.DISTRIBUTOR, SalesChannel.PROCESSOR, SalesChannel.EXPORTER)


# Grouped thousands, up to three decimals, no trailing zeros: the spreadsheet shows `2.000` or `12,5` with the
# reader's separators, as the pages do (whole numbers get no decimal point at all).
WHOLE_FORMAT = "#,##0"
NUMBER_FORMAT = "#,##0.###"


def _vn_date(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def _number(value: Decimal | None):
    return None if value is None else plain(Decimal(value))


def cooperative_details(cooperative) -> str:
    """Column "Thông tin về HTX, THT": full name, address, representative, phone, e-mail."""
    representative = cooperative.representative_name
    if cooperative.representative_title:
        representative = f"{cooperative.representative_title} {representative}"
    return "\n".join(part for part in (
        cooperative.name,
        f"Địa chỉ: {cooperative.address_line}",
        f"Người đại diện: {representative}" if representative else "",
        f"Điện thoại: {format_vn_phone(cooperative.phone)}" if cooperative.phone else "",
        f"Email: {cooperative.email}" if cooperative.email else "",
    ) if part)


class _FormSheet:
    def __init__(self, workbook: Workbook, title: str, width: int, widths: list[int]):
        self.ws = workbook.active
        self.ws.title = title[:31]
        self.width = width
        self.row = 1
        for index, column_width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = column_width

    def banner(self, text: str, *, bold: bool = False, size: int = 11, italic: bool = False) -> None:
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.width)
        cell = self.ws.cell(self.row, 1, text)
        cell.font = Font(bold=bold, size=size, italic=italic)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.row += 1

    def heading(self, row_offset: int, column: int, text: str, *, rows: int = 1, columns: int = 1) -> None:
        top = self.row + row_offset
        if rows > 1 or columns > 1:
            self.ws.merge_cells(start_row=top, start_column=column, end_row=top + rows - 1,
                                end_column=column + columns - 1)
        for r in range(top, top + rows):
            for c in range(column, column + columns):
                self.ws.cell(r, c).border = BOX
        cell = self.ws.cell(top, column, text)
        cell.font = BOLD
        cell.alignment = CENTER

    def numbers_row(self, labels: list[str]) -> None:
        for column, label in enumerate(labels, start=1):
            cell = self.ws.cell(self.row, column, label)
            cell.alignment = CENTER
            cell.font = Font(italic=True)
            cell.border = BOX
        self.row += 1

    def data_row(self, values: list, *, bold: bool = False) -> int:
        for column, value in enumerate(values, start=1):
            cell = self.ws.cell(self.row, column, value)
            cell.border = BOX
            cell.alignment = WRAP
            if isinstance(value, (int, Decimal)):
                cell.number_format = WHOLE_FORMAT if value == int(value) else NUMBER_FORMAT
            if bold:
                cell.font = BOLD
        self.row += 1
        return self.row - 1

    def notes(self, lines: list[str]) -> None:
        self.row += 1
        self.ws.cell(self.row, 1, "Ghi chú:").font = Font(bold=True, italic=True)
        self.row += 1
        for line in lines:
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.width)
            self.ws.cell(self.row, 1, line).alignment = Alignment(wrap_text=True)
            self.row += 1

    def signature(self, *, place: str, day: datetime.date, title: str, name: str = "") -> None:
        self.row += 1
        first = max(self.width - 4, 1)
        lines = [
            (f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", Font(italic=True)),
            (title.upper(), BOLD),
            ("(Ký tên, đóng dấu)", Font(italic=True)),
            ("", None), ("", None), ("", None),
            (name, BOLD),
        ]
        for text, font in lines:
            self.ws.merge_cells(start_row=self.row, start_column=first, end_row=self.row, end_column=self.width)
            cell = self.ws.cell(self.row, first, text)
            cell.alignment = Alignment(horizontal="center")
            if font:
                cell.font = font
            self.row += 1

    def save(self) -> bytes:
        self.ws.freeze_panes = None
        buffer = BytesIO()
        self.ws.parent.save(buffer)
        return buffer.getvalue()


def _place(province) -> str:
    return province.name if province is not None else "Hà Nội"


def needs_xlsx(report: NeedsReport, *, issued_on: datetime.date | None = None) -> bytes:
    """Form A: Danh sách các HTX, THT có nhu cầu tiêu thụ sản phẩm."""
    issued_on = issued_on or report.day
    sheet = _FormSheet(Workbook(), "Nhu cau tieu thu", 15, [6, 22, 40, 10, 9, 12, 20, 20, 18, 22, 11, 16, 16, 14, 14])
    sheet.banner("DANH SÁCH CÁC HTX, THT CÓ NHU CẦU TIÊU THỤ SẢN PHẨM", bold=True, size=14)
    sheet.banner(f"Ngày {report.day.day:02d} tháng {report.day.month:02d} năm {report.day.year}", italic=True)
    sheet.banner(f"Tỉnh, thành phố: {report.province.full_name}" if report.province else "Phạm vi: toàn quốc")
    sheet.row += 1
    sheet.heading(0, 1, "TT", rows=2)
    sheet.heading(0, 2, "Sản phẩm", rows=2)
    sheet.heading(0, 3, "Thông tin về HTX, THT", rows=2)
    sheet.heading(0, 4, "Thông tin sản phẩm", columns=8)
    sheet.heading(0, 12, "Dự kiến số lượng sản phẩm theo kênh tiêu thụ", columns=4)
    for column, label in enumerate(["Diện tích (ha)", "Đơn vị tính", "Số lượng cần tiêu thụ",
                                    "Tiêu chuẩn sản phẩm", "Quy cách sản phẩm", "Thời gian giao hàng",
                                    "Địa điểm giao hàng", "Đơn giá (nghìn đồng)"], start=4):
        sheet.heading(1, column, label)
    for column, channel in enumerate(OFFICIAL_CHANNELS, start=12):
        sheet.heading(1, column, CHANNEL_HEADINGS[channel])
    sheet.row += 2
    sheet.numbers_row([f"({n})" for n in range(1, 16)])
    for section in report.sections:
        sheet.data_row([section.number, section.label] + [None] * 13, bold=True)
        for row in section.rows:
            need = row.need
            price = None if need.unit_price_vnd is None else Decimal(need.unit_price_vnd) / 1000
            sheet.data_row([row.number, need.product_name, cooperative_details(need.cooperative),
                            _number(need.farm_area_ha), need.unit, _number(need.quantity), need.standard,
                            need.packaging, need.delivery_period, need.delivery_place, _number(price),
                            *[_number(q) for q in row.planned]])
    for total in report.totals:
        sheet.data_row([None, "Tổng cộng", None, None, total.unit, _number(total.quantity), None, None, None, None,
                        None, *[_number(q) for q in total.planned]], bold=True)
    sheet.notes([
        "- Cột (3): ghi đầy đủ tên HTX, THT, địa chỉ, người đại diện, số điện thoại, email.",
        "- Cột (7): ghi rõ tiêu chuẩn sản phẩm (chứng nhận an toàn thực phẩm, VietGAP, GlobalGAP …).",
        "- Cột (10): ghi rõ địa điểm giao hàng (tại HTX, tại nơi mua …).",
        "- Số lượng ở các cột (6), (12)–(15) tính theo đơn vị ở cột (5).",
    ])
    sheet.signature(place=_place(report.province), day=issued_on, title="Chủ tịch Liên minh Hợp tác xã")
    return sheet.save()


def sales_xlsx(report: SalesReport, *, issued_on: datetime.date | None = None) -> bytes:
    """Form B: Báo cáo kết quả kết nối tiêu thụ sản phẩm cho các HTX, THT; the shop's orders as a
    pair of columns after the exporters, numbered (16)–(17) so the official columns keep theirs."""
    issued_on = issued_on or report.date_to
    channels = list(OFFICIAL_CHANNELS) + [SalesChannel.ONLINE]
    sheet = _FormSheet(Workbook(), "Ket qua tieu thu", 17,
                       [6, 22, 9, 11, 40, 11, 24, 11, 24, 11, 24, 11, 24, 11, 14, 26, 26])
    sheet.banner("BÁO CÁO KẾT QUẢ KẾT NỐI TIÊU THỤ SẢN PHẨM CHO CÁC HTX, THT", bold=True, size=14)
    sheet.banner(f"(Từ ngày {_vn_date(report.date_from)} đến ngày {_vn_date(report.date_to)})", italic=True)
    sheet.banner(f"Tỉnh, thành phố: {report.province.full_name}" if report.province else "Phạm vi: toàn quốc")
    sheet.row += 1
    for column, label in ((1, "TT"), (2, "Sản phẩm"), (3, "Đơn vị tính"), (4, "Số lượng"),
                          (5, "Thông tin về HTX, THT được tiêu thụ sản phẩm")):
        sheet.heading(0, column, label, rows=3)
    sheet.heading(0, 6, "Chi tiết số lượng sản phẩm theo kênh tiêu thụ", columns=8)
    sheet.heading(0, 14, CHANNEL_HEADINGS[SalesChannel.ONLINE], rows=2, columns=2)
    sheet.heading(0, 16, "Khó khăn, vướng mắc", rows=3)
    sheet.heading(0, 17, "Giải pháp, kiến nghị", rows=3)
    for index, channel in enumerate(channels):
        column = 6 + 2 * index
        if channel != SalesChannel.ONLINE:
            sheet.heading(1, column, CHANNEL_HEADINGS[channel], columns=2)
        sheet.heading(2, column, "Số lượng")
        sheet.heading(2, column + 1, "Tên đơn vị")
    sheet.row += 3
    sheet.numbers_row([f"({n})" for n in range(1, 14)] + ["(16)", "(17)", "(14)", "(15)"])
    for section in report.sections:
        sheet.data_row([section.number, section.label] + [None] * 15, bold=True)
        for row in section.rows:
            cells = []
            for channel in channels:
                cell = row.cells[channel]
                cells += [_number(cell.quantity) if cell.quantity or cell.buyers else None, cell.buyers_text or None]
            sheet.data_row([row.number, row.product_name, row.unit, _number(row.total),
                            cooperative_details(row.cooperative), *cells,
                            "\n".join(row.difficulties) or None, "\n".join(row.proposals) or None])
    for total in report.totals:
        cells = []
        for channel in channels:
            cells += [_number(total.by_channel[channel]), None]
        sheet.data_row([None, "Tổng cộng", total.unit, _number(total.total), None, *cells, None, None], bold=True)
    sheet.notes([
        "- Cột (5): ghi đầy đủ tên HTX, THT, địa chỉ, người đại diện, số điện thoại, email.",
        "- Các cột (6), (8), (10), (12), (16): số lượng theo đơn vị ở cột (3); các cột (7), (9), (11), (13), "
        "(17): tên đơn vị thu mua.",
        "- Cột (16)–(17): đơn hàng đặt trên sàn HTX Market, lấy tự động từ hệ thống. Chỉ tính là đã tiêu thụ khi "
        "đơn đã thanh toán (đã nhận chuyển khoản) hoặc phần hàng đã giao cho khách (thu tiền khi giao); không tính "
        "đơn chưa thanh toán và đơn đã hủy.",
    ])
    sheet.signature(place=_place(report.province), day=issued_on, title="Chủ tịch Liên minh Hợp tác xã")
    _waste_sheet(sheet.ws.parent, report)
    return sheet.save()


def _waste_sheet(workbook: Workbook, report: SalesReport) -> None:
    """A second sheet: per week, what the shop sold and what expired unsold in its harvest lots."""
    ws = workbook.create_sheet("Hang het han")
    ws.append([f"HÀNG HẾT HẠN KHÔNG BÁN ĐƯỢC TRÊN HTX MARKET (từ {_vn_date(report.date_from)} "
               f"đến {_vn_date(report.date_to)})"])
    ws.append(["Tuần", "Đã bán (đơn vị)", "Đã bán (kg)", "Đã bán (₫)", "Hết hạn (đơn vị)", "Hết hạn (kg)",
               "Hết hạn (₫)", "Tỷ lệ hết hạn (%)", "Trả lại, hủy do hỏng (đơn vị)", "Trả lại, hủy do hỏng (₫)"])
    for cell in ws[2]:
        cell.font = BOLD
        cell.border = BOX
    for week in report.waste:
        ws.append([week.label, week.sold_units, _number(week.sold_kg), week.sold_value, week.expired_units,
                   _number(week.expired_kg), week.expired_value,
                   _number(week.expired_share) if week.expired_share is not None else None,
                   week.damaged_units, week.damaged_value])
    for index, column_width in enumerate([14, 16, 14, 16, 16, 14, 16, 18, 18, 18], start=1):
        ws.column_dimensions[get_column_letter(index)].width = column_width


def distributor_xlsx(report: DistributorReport, *, issued_on: datetime.date | None = None) -> bytes:
    """Form C: Báo cáo kết quả tiêu thụ sản phẩm cho các HTX, THT, issued by a distributor."""
    issued_on = issued_on or report.date_to
    sheet = _FormSheet(Workbook(), "Tieu thu theo dia ban", 10, [6, 24, 10, 12, 42, 13, 13, 13, 26, 26])
    if report.distributor is not None:
        sheet.banner(report.distributor.name.upper(), bold=True)
    sheet.banner("BÁO CÁO KẾT QUẢ TIÊU THỤ SẢN PHẨM CHO CÁC HTX, THT", bold=True, size=14)
    sheet.banner(f"(Từ ngày {_vn_date(report.date_from)} đến ngày {_vn_date(report.date_to)})", italic=True)
    sheet.row += 1
    for column, label in ((1, "TT"), (2, "Sản phẩm"), (3, "Đơn vị tính"), (4, "Số lượng tiêu thụ"),
                          (5, "Tên, địa chỉ HTX, THT được tiêu thụ sản phẩm"), (9, "Khó khăn, vướng mắc"),
                          (10, "Giải pháp")):
        sheet.heading(0, column, label, rows=2)
    sheet.heading(0, 6, "Chi tiết số lượng sản phẩm thu mua để tiêu thụ theo địa bàn", columns=3)
    for column, label in enumerate(DESTINATIONS.values(), start=6):
        sheet.heading(1, column, label)
    sheet.row += 2
    sheet.numbers_row([f"({n})" for n in range(1, 11)])
    for section in report.sections:
        sheet.data_row([section.number, section.label] + [None] * 8, bold=True)
        for row in section.rows:
            coop = row.cooperative
            sheet.data_row([row.number, row.product_name, row.unit, _number(row.quantity),
                            f"{coop.name}\n{coop.address_line}",
                            *[_number(q) for q in row.destinations.values()],
                            "\n".join(row.difficulties) or None, "\n".join(row.solutions) or None])
    for total in report.totals:
        sheet.data_row([None, "Tổng cộng", total.unit, _number(total.quantity), None,
                        *[_number(q) for q in total.destinations.values()], None, None], bold=True)
    sheet.notes(["- Số lượng ở các cột (4), (6)–(8) tính theo đơn vị ở cột (3).",
                 "- Cột (8): các tỉnh, thành phố ngoài TP. Hồ Chí Minh và TP. Hà Nội."])
    distributor = report.distributor
    place = distributor.address.rsplit(",", 1)[-1].strip() if distributor and distributor.address else "……"
    sheet.signature(place=place, day=issued_on,
                    title=(distributor.representative_title if distributor and distributor.representative_title
                           else "Thủ trưởng đơn vị"),
                    name=distributor.representative_name if distributor else "")
    return sheet.save()
