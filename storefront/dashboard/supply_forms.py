"""Forms of the supply pages. They only shape the input: every rule (units, quantities, periods,
who may act) is checked by the services, whose errors the views put back on these forms."""
from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from storefront.supply.models import RECORDED_CHANNELS, ProductGroup

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.TextInput(attrs={"inputmode": "decimal"})
UNIT = forms.TextInput(attrs={"list": "supply-units", "autocomplete": "off"})


def _text(label, **kwargs):
    return forms.CharField(label=label, required=False, **kwargs)


def _number(label):
    return forms.CharField(label=label, required=False, widget=NUMBER)


def _planned(channel):
    """A channel's planned quantity: counted in the need's own unit, which the label says."""
    return forms.CharField(label=format_lazy(_("{channel} (số lượng, theo đơn vị tính)"), channel=channel),
                           required=False, widget=NUMBER,
                           help_text=_("Cùng đơn vị tính với số lượng cần tiêu thụ, ví dụ 12,5; để trống nếu không có."))


def _group_field():
    return forms.ChoiceField(label=_("Nhóm sản phẩm"), choices=[("", "—")] + list(ProductGroup.choices),
                             required=False)


class ServiceErrorsMixin:
    def add_service_errors(self, error) -> None:
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class NeedForm(ServiceErrorsMixin, forms.Form):
    cooperative = forms.ModelChoiceField(label=_("Hợp tác xã"), queryset=None, required=True)
    need_date = _text(_("Ngày khai báo"), widget=DATE)
    product_name = _text(_("Sản phẩm"))
    product_group = _group_field()
    farm_area_ha = _number(_("Diện tích (ha)"))
    unit = _text(_("Đơn vị tính"), widget=UNIT)
    quantity = _number(_("Số lượng cần tiêu thụ"))
    standard = _text(_("Tiêu chuẩn sản phẩm"))
    packaging = _text(_("Quy cách sản phẩm"))
    delivery_period = _text(_("Thời gian giao hàng"))
    delivery_place = _text(_("Địa điểm giao hàng"))
    unit_price_thousand_vnd = _number(_("Đơn giá (nghìn đồng)"))
    planned_market = _planned(_("Chợ truyền thống, chợ đầu mối, showroom"))
    planned_distributor = _planned(_("Siêu thị, doanh nghiệp phân phối"))
    planned_processor = _planned(_("Doanh nghiệp chế biến"))
    planned_exporter = _planned(_("Doanh nghiệp xuất khẩu"))
    note = _text(_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cooperatives=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["cooperative"]
        else:
            self.fields["cooperative"].queryset = cooperatives


class SalesRecordForm(ServiceErrorsMixin, forms.Form):
    cooperative = forms.ModelChoiceField(label=_("Hợp tác xã"), queryset=None)
    sold_on = _text(_("Ngày bán"), widget=DATE)
    product_name = _text(_("Sản phẩm"))
    product_group = _group_field()
    unit = _text(_("Đơn vị tính"), widget=UNIT)
    quantity = _number(_("Số lượng"))
    channel = forms.ChoiceField(label=_("Kênh tiêu thụ"), choices=[(c.value, c.label) for c in RECORDED_CHANNELS])
    buyer_name = _text(_("Tên đơn vị mua"))
    difficulties = _text(_("Khó khăn, vướng mắc"), widget=forms.Textarea(attrs={"rows": 2}))
    proposals = _text(_("Giải pháp, kiến nghị"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cooperatives=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = cooperatives


class PurchaseForm(ServiceErrorsMixin, forms.Form):
    distributor = forms.ModelChoiceField(label=_("Đơn vị phân phối"), queryset=None)
    cooperative = forms.ModelChoiceField(label=_("HTX, THT cung cấp"), queryset=None, required=False)
    purchased_on = _text(_("Ngày"), widget=DATE)
    product_name = _text(_("Sản phẩm"))
    product_group = _group_field()
    unit = _text(_("Đơn vị tính"), widget=UNIT)
    quantity = _number(_("Số lượng tiêu thụ"))
    sold_hcmc = _number(_("TP. Hồ Chí Minh"))
    sold_hanoi = _number(_("TP. Hà Nội"))
    sold_other = _number(_("Tỉnh, TP khác"))
    difficulties = _text(_("Khó khăn, vướng mắc"), widget=forms.Textarea(attrs={"rows": 2}))
    solutions = _text(_("Giải pháp"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, distributors=None, cooperatives=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["distributor"].queryset = distributors
        self.fields["cooperative"].queryset = cooperatives


class PeriodForm(forms.Form):
    date_from = _text(_("Từ ngày"), widget=DATE)
    date_to = _text(_("Đến ngày"), widget=DATE)
    province = forms.ChoiceField(label=_("Tỉnh, thành phố"), required=False)

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Tất cả"))] + [(p.code, p.name) for p in provinces]


class DayForm(forms.Form):
    day = _text(_("Ngày"), widget=DATE)
    province = forms.ChoiceField(label=_("Tỉnh, thành phố"), required=False)

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Tất cả"))] + [(p.code, p.name) for p in provinces]
