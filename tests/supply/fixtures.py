"""A week of sales with totals worked out by hand (see the docstring of `sales_week`)."""
import datetime
from decimal import Decimal

from storefront.supply.models import SalesRecord
from tests.supply.conftest import at, place_order

WEEK_FROM = datetime.date(2026, 11, 16)
WEEK_TO = datetime.date(2026, 11, 22)


def _record(coop, day, name, group, unit, quantity, channel, buyer, **extra):
    return SalesRecord.objects.create(cooperative=coop, sold_on=day, product_name=name, product_group=group,
                                      unit=unit, quantity=Decimal(quantity), channel=channel, buyer_name=buyer,
                                      **extra)


def sales_week(*, coop, other_coop, product, combo, channel):
    """Week 47 of 2026 (16–22 Nov):

    coop (Cần Thơ)        Gạo ST25 (tấn): distributor 25 Mê Kông Mart + 5 Co.op Mart, exporter 50 → 80
                          Gạo ST25 Vĩnh Bình – túi 5 kg: online 3 bags + 1 bag = 20 kg (one order of 10 bags
                          canceled, one placed after midnight on the 23rd)
                          Gạo combo: 2 combos × 2 = 4 cái online
    other_coop (Lâm Đồng) Cải ngọt VietGAP: 2 combos × 1 = 2 cái online
                          Thanh long (tấn): market 35; Thanh long (tạ): processor 20
                          Mật ong (hũ): market 40
    Outside the week: 7 tấn of Gạo ST25 to a market on the 24th.
    """
    product.net_quantity, product.net_unit = Decimal(5), "kg"
    product.save()
    rice = product.variants.get()
    _record(coop, datetime.date(2026, 11, 17), "Gạo ST25", "gao", "tấn", 25, "distributor", "Mê Kông Mart",
            difficulties="Giá lúa giảm", proposals="Kết nối thêm siêu thị")
    _record(coop, datetime.date(2026, 11, 18), "Gạo ST25", "gao", "tấn", 50, "exporter", "Lương thực Sông Hậu")
    _record(coop, datetime.date(2026, 11, 20), "Gạo ST25", "gao", "tấn", 5, "distributor", "Co.op Mart",
            difficulties="Giá lúa giảm")
    _record(other_coop, datetime.date(2026, 11, 19), "Thanh long", "trai_cay", "tấn", 35, "market", "Chợ Long Biên")
    _record(other_coop, datetime.date(2026, 11, 21), "Thanh long", "trai_cay", "tạ", 20, "processor",
            "Chế biến Nam Trung Bộ")
    _record(other_coop, datetime.date(2026, 11, 21), "Mật ong", "khac", "hũ", 40, "market", "Showroom Đà Lạt")
    _record(coop, datetime.date(2026, 11, 24), "Gạo ST25", "gao", "tấn", 7, "market", "Chợ Cái Răng")

    place_order(channel, [(rice, 3)], created_at=at(datetime.date(2026, 11, 18)))
    place_order(channel, [(rice, 10)], created_at=at(datetime.date(2026, 11, 19)), status="canceled")
    place_order(channel, [(rice, 1)], created_at=at(datetime.date(2026, 11, 22), 23))
    place_order(channel, [(rice, 2)], created_at=at(datetime.date(2026, 11, 23), 0))
    place_order(channel, [(combo.variants.get(), 2)], created_at=at(datetime.date(2026, 11, 20)))
