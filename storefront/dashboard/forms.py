"""Forms of the cooperative dashboard and the program staff pages (shape only; rules are the services')."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from storefront.cooperative.models import Certification, Cooperative
from storefront.core.models import Province
from storefront.product.models import Category
from storefront.product.standards import STANDARDS


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Tên sản phẩm"), max_length=250)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=250, required=False)
    category = forms.ModelChoiceField(label=_("Danh mục"), queryset=Category.objects.order_by("level", "sort_order",
                                                                                              "name"))
    unit_label = forms.CharField(label=_("Đơn vị bán"), max_length=64, required=False,
                                 help_text=_("Ví dụ: túi 5 kg, hộp 500 g"))
    net_quantity = forms.DecimalField(label=_("Khối lượng tịnh"), required=False, min_value=0, decimal_places=3)
    net_unit = forms.CharField(label=_("Đơn vị khối lượng"), max_length=16, required=False, help_text=_("kg, g, l, ml"))
    weight_g = forms.IntegerField(label=_("Khối lượng khi gửi (gam)"), required=False, min_value=0)
    origin_province = forms.ModelChoiceField(label=_("Xuất xứ (tỉnh/thành)"), queryset=Province.objects.all(),
                                             required=False)
    standards = forms.MultipleChoiceField(label=_("Tiêu chuẩn"), required=False, widget=forms.CheckboxSelectMultiple,
                                          choices=[(s, s) for s in STANDARDS])
    ocop_stars = forms.TypedChoiceField(label=_("Số sao OCOP"), required=False, coerce=int, empty_value=None,
                                        choices=[("", "—"), (3, "3"), (4, "4"), (5, "5")])
    shelf_life_days = forms.IntegerField(label=_("Hạn sử dụng (ngày)"), required=False, min_value=0)
    perishable = forms.BooleanField(label=_("Hàng tươi, dễ hỏng"), required=False)
    show_lot_dates = forms.BooleanField(label=_("Cho khách xem ngày thu hoạch và hạn sử dụng của lô"),
                                        required=False)
    markdown_percent = forms.IntegerField(label=_("Giảm giá gần hết hạn (%)"), required=False)
    markdown_days = forms.IntegerField(label=_("Áp dụng trong số ngày cuối của lô"), required=False,
                                       help_text=_("Ví dụ: giảm 30 % trong 2 ngày cuối trước hạn sử dụng."))
    sold_by_weight = forms.BooleanField(label=_("Bán theo cân (giá tạm tính, cân thực tế khi giao)"),
                                        required=False)
    nominal_weight_g = forms.IntegerField(label=_("Khối lượng danh nghĩa mỗi đơn vị (gam)"), required=False,
                                          help_text=_("Ví dụ: 1000 cho “khoảng 1 kg”; mỗi loại có thể ghi riêng."))
    weight_tolerance_percent = forms.IntegerField(label=_("Sai số cân cho phép (± %)"), required=False,
                                                  help_text=_("Ví dụ: 10 — khách trả theo cân thực tế, không quá "
                                                              "giá danh nghĩa cộng sai số."))
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    description_en = forms.CharField(label=_("Mô tả tiếng Anh"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))

    def product_data(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("sku", "price", "stock"):
            data.pop(key, None)
        return data


class NewProductForm(ProductForm):
    sku = forms.CharField(label=_("Mã SKU"), max_length=255, help_text=_("Chữ không dấu, số, dấu - _ . /"))
    price = forms.IntegerField(label=_("Giá bán (₫)"), min_value=1)
    stock = forms.IntegerField(label=_("Số lượng trong kho"), min_value=0, initial=0)


class VariantForm(forms.Form):
    """A new variant, on the product page under the product's own form: ids of its own so that its
    labels (weight, nominal weight) do not point at the product form's fields of the same name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_variant_%s")
        super().__init__(*args, **kwargs)

    sku = forms.CharField(label=_("Mã SKU"), max_length=255)
    name = forms.CharField(label=_("Tên loại"), max_length=255, required=False, help_text=_("Ví dụ: túi 2 kg"))
    price = forms.IntegerField(label=_("Giá bán (₫)"), min_value=1)
    compare_at_price = forms.IntegerField(label=_("Giá gốc (₫)"), min_value=1, required=False)
    weight_g = forms.IntegerField(label=_("Khối lượng (gam)"), min_value=0, required=False)
    nominal_weight_g = forms.IntegerField(label=_("Khối lượng danh nghĩa khi bán theo cân (gam)"), required=False,
                                          help_text=_("Bỏ trống: theo sản phẩm."))


class MediaUploadForm(forms.Form):
    image = forms.FileField(label=_("Ảnh sản phẩm"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
                            help_text=_("JPEG, PNG hoặc WebP, tối đa 10 MB."))
    alt = forms.CharField(label=_("Mô tả ảnh (cho người khiếm thị)"), max_length=250, required=False)


class ShipForm(forms.Form):
    """The tracking number, and what each line sold by weight weighed (`weight-<line id>`, grams)."""

    tracking_number = forms.CharField(label=_("Mã vận đơn"), max_length=255)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.weighed_lines = [line for line in lines if line.sold_by_weight]
        for line in self.weighed_lines:
            self.fields[f"weight-{line.pk}"] = forms.CharField(
                label=_("Khối lượng thực tế của %(line)s (gam)") % {"line": line.product_name + (
                    f" — {line.variant_name}" if line.variant_name else "")},
                required=False, max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def weights(self) -> dict[str, str]:
        return {str(line.pk): self.cleaned_data.get(f"weight-{line.pk}") for line in self.weighed_lines}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=1000)


class DeliverForm(forms.Form):
    """The delivered action: for a cash-on-delivery part, the cash the carrier collected (whole đồng)."""
    cash_collected = forms.IntegerField(label=_("Tiền mặt đã thu (đồng)"), min_value=0, required=False)


class CooperativeProfileForm(forms.Form):
    name = forms.CharField(label=_("Tên hợp tác xã"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại hình"), choices=Cooperative.Kind.choices)
    province = forms.ModelChoiceField(label=_("Tỉnh/thành phố"), queryset=Province.objects.all())
    commune = forms.CharField(label=_("Xã/phường/đặc khu"), max_length=96, help_text=_("Ví dụ: Xã Kế Sách"))
    street = forms.CharField(label=_("Địa chỉ (thôn/ấp, số nhà)"), max_length=255, required=False)
    representative_name = forms.CharField(label=_("Người đại diện"), max_length=255)
    representative_title = forms.CharField(label=_("Chức vụ"), max_length=128, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("E-mail"))
    tax_code = forms.CharField(label=_("Mã số thuế / số đăng ký"), max_length=20, required=False)
    founded_year = forms.IntegerField(label=_("Năm thành lập"), required=False, min_value=1900)
    members_count = forms.IntegerField(label=_("Số thành viên"), required=False, min_value=0)
    farm_area_ha = forms.DecimalField(label=_("Diện tích sản xuất (ha)"), required=False, min_value=0)
    description = forms.CharField(label=_("Giới thiệu"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    description_en = forms.CharField(label=_("Giới thiệu tiếng Anh"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    certifications = forms.MultipleChoiceField(label=_("Chứng nhận của hợp tác xã"), required=False,
                                               widget=forms.CheckboxSelectMultiple,
                                               choices=[c for c in Certification.Type.choices if c[0] != "OCOP"])
    return_window_days = forms.IntegerField(
        label=_("Thời hạn nhận trả hàng (ngày sau khi giao)"), min_value=0, max_value=90, required=False,
        help_text=_("0 = không nhận trả hàng."))
    fresh_return_window_hours = forms.IntegerField(
        label=_("Thời hạn nhận trả hàng tươi (giờ sau khi giao)"), min_value=0, max_value=168, required=False,
        help_text=_("Sản phẩm đánh dấu “hàng tươi, dễ hỏng”; khách phải gửi ảnh tình trạng hàng."))

    def profile_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["certifications"] = [{"type": t} for t in data.pop("certifications", [])]
        for field in ("return_window_days", "fresh_return_window_hours"):
            if data.get(field) is None:  # left empty (or registering): the cooperative keeps its window
                data.pop(field, None)
        return data


class PaymentReceivedForm(forms.Form):
    amount = forms.IntegerField(label=_("Số tiền nhận (₫)"), min_value=1)
    reference = forms.CharField(label=_("Mã giao dịch ngân hàng"), max_length=255, required=False)


class PayoutForm(forms.Form):
    amount = forms.IntegerField(label=_("Số tiền chi trả (₫)"), min_value=1)
    reference = forms.CharField(label=_("Mã chuyển khoản"), max_length=255)
    note = forms.CharField(label=_("Ghi chú"), max_length=1000, required=False)


class ComboForm(forms.Form):
    cooperative = forms.ModelChoiceField(label=_("Hợp tác xã đứng bán"), queryset=Cooperative.objects.filter(
        status=Cooperative.Status.APPROVED))
    name = forms.CharField(label=_("Tên combo"), max_length=250)
    category = forms.ModelChoiceField(label=_("Danh mục"), queryset=Category.objects.all())
    price = forms.IntegerField(label=_("Giá combo (₫)"), min_value=1)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    components = forms.CharField(
        label=_("Thành phần"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một thành phần: mã SKU và số lượng, ví dụ “ST25-5KG 2”."))
    publish = forms.BooleanField(label=_("Đăng bán ngay"), required=False, initial=True)

    def clean_components(self):
        parts = []
        for number, line in enumerate(self.cleaned_data["components"].splitlines(), start=1):
            words = line.split()
            if not words:
                continue
            if len(words) != 2 or not words[1].isdigit():
                raise forms.ValidationError(_("Dòng %(n)s: cần “SKU số_lượng”.") % {"n": number})
            parts.append((words[0], int(words[1])))
        if not parts:
            raise forms.ValidationError(_("Combo cần ít nhất một thành phần."))
        return parts


class CollectionForm(forms.Form):
    name = forms.CharField(label=_("Tên bộ sưu tập"), max_length=250)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=250, required=False)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_featured = forms.BooleanField(label=_("Hiện trên trang chủ"), required=False)
    sort_order = forms.IntegerField(label=_("Thứ tự"), required=False, initial=0)
    products = forms.CharField(label=_("Sản phẩm (đường dẫn, mỗi dòng một)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))

    def product_slugs(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("products", "").splitlines() if line.strip()]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Thao tác"), required=False)
    actor = forms.CharField(label=_("Người thực hiện (e-mail)"), max_length=254, required=False)
    since = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from storefront.core.models import AuditEntry

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Tất cả"))] + list(AuditEntry.Action.choices)


class CertificationForm(forms.Form):
    """A vault certificate: what it is, what it covers, and its scan (required when new)."""

    type = forms.ChoiceField(label=_("Loại chứng nhận"), choices=Certification.Type.choices)
    stars = forms.TypedChoiceField(label=_("Số sao OCOP"), required=False, coerce=int, empty_value=None,
                                   choices=[("", "—"), (3, "3"), (4, "4"), (5, "5")])
    number = forms.CharField(label=_("Số chứng nhận"), max_length=64)
    issuer = forms.CharField(label=_("Đơn vị cấp"), max_length=255, required=False)
    valid_from = forms.DateField(label=_("Ngày cấp"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Ngày hết hạn"), widget=forms.DateInput(attrs={"type": "date"}))
    scope_products = forms.MultipleChoiceField(label=_("Áp dụng cho sản phẩm"), required=False,
                                               widget=forms.CheckboxSelectMultiple,
                                               help_text=_("Bỏ trống: áp dụng cho mọi sản phẩm của hợp tác xã."))
    scope = forms.CharField(label=_("Phạm vi (ghi chú)"), max_length=255, required=False)
    file = forms.FileField(label=_("Tệp chứng nhận"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
                           help_text=_("PDF, JPEG hoặc PNG, tối đa 8 MB; PDF có JavaScript bị từ chối."))

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_products"].choices = [(str(p.pk), p.name) for p in products]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("file", None)
        data["scope_products"] = [int(i) for i in data.get("scope_products") or ()]
        return data


class StockLotForm(forms.Form):
    """A harvest lot; the rules (dates in order, quantity above 0, code free) are the service's."""

    warehouse = forms.ModelChoiceField(label=_("Kho"), queryset=None, empty_label=None)
    code = forms.CharField(label=_("Mã lô"), max_length=40, required=False,
                           help_text=_("Để trống để hệ thống tự tạo."))
    harvest_date = forms.DateField(label=_("Ngày thu hoạch / sản xuất"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    best_before = forms.DateField(label=pgettext_lazy("lot date", "Hạn sử dụng"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    shelf_life_days = forms.IntegerField(label=_("Hoặc số ngày sử dụng"), required=False,
                                         help_text=_("Tính hạn sử dụng từ ngày thu hoạch."))
    quantity = forms.IntegerField(label=_("Số lượng"))
    standard = forms.ChoiceField(label=_("Tiêu chuẩn"), required=False)
    certificate = forms.CharField(label=_("Số giấy chứng nhận"), max_length=120, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, warehouses, **kwargs):
        from storefront.warehouse.models import StockLot

        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses
        self.fields["standard"].choices = [("", "—"), *StockLot.Standard.choices]


_DATETIME = {"widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
             "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]}


class _DiscountForm(forms.Form):
    """Shared by vouchers and promotions. Dates are entered in Asia/Ho_Chi_Minh time (the site's)."""

    name = forms.CharField(label=_("Tên"), max_length=255, required=False)
    discount_value_type = forms.ChoiceField(label=_("Kiểu giảm"), choices=[])
    discount_value = forms.IntegerField(label=_("Mức giảm (% hoặc đồng)"), min_value=1)
    start_date = forms.DateTimeField(label=_("Bắt đầu"), required=False, **_DATETIME)
    end_date = forms.DateTimeField(label=_("Kết thúc"), required=False, **_DATETIME)
    product = forms.ModelChoiceField(label=_("Chỉ sản phẩm (ví dụ một combo)"), queryset=None, required=False)
    category = forms.ModelChoiceField(label=_("Chỉ danh mục"), queryset=None, required=False)

    def __init__(self, *args, cooperative=None, **kwargs):
        from storefront.cooperative.models import Cooperative
        from storefront.discount.models import DiscountValueType, FundedBy
        from storefront.product.models import Category, Product

        super().__init__(*args, **kwargs)
        self.fields["discount_value_type"].choices = DiscountValueType.choices
        products = Product.objects.order_by("name")
        self.fields["product"].queryset = products.filter(cooperative=cooperative) if cooperative else products
        self.fields["category"].queryset = Category.objects.order_by("name")
        if cooperative is None:  # program staff: any cooperative, paid by whom they choose
            self.fields["cooperative"] = forms.ModelChoiceField(
                label=_("Chỉ sản phẩm của hợp tác xã"), queryset=Cooperative.objects.order_by("name"), required=False)
            self.fields["funded_by"] = forms.ChoiceField(label=_("Bên chi trả"), choices=FundedBy.choices)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        return {key: value for key, value in data.items() if value not in (None, "")}


class VoucherForm(_DiscountForm):
    code = forms.CharField(label=_("Mã"), max_length=40)
    type = forms.ChoiceField(label=_("Áp dụng cho"), choices=[])
    min_spent_amount = forms.IntegerField(label=_("Đơn tối thiểu (đồng)"), min_value=0, required=False)
    usage_limit = forms.IntegerField(label=_("Tổng số lượt dùng"), min_value=1, required=False)
    usage_limit_per_customer = forms.IntegerField(label=_("Số lượt mỗi khách"), min_value=1, required=False)
    field_order = ["code", "name", "type", "discount_value_type", "discount_value", "min_spent_amount",
                   "usage_limit", "usage_limit_per_customer", "start_date", "end_date"]

    def __init__(self, *args, **kwargs):
        from storefront.discount.models import Voucher

        super().__init__(*args, **kwargs)
        self.fields["type"].choices = Voucher.Type.choices
        self.order_fields(self.field_order)


class PromotionForm(_DiscountForm):
    type = forms.ChoiceField(label=_("Loại khuyến mãi"), choices=[])
    reward_type = forms.ChoiceField(label=_("Giảm vào"), choices=[])
    min_subtotal_amount = forms.IntegerField(label=_("Khi tiền hàng từ (đồng)"), min_value=0, required=False)
    field_order = ["name", "type", "reward_type", "discount_value_type", "discount_value", "min_subtotal_amount",
                   "start_date", "end_date"]

    def __init__(self, *args, **kwargs):
        from storefront.discount.models import Promotion

        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["type"].choices = Promotion.Type.choices
        self.fields["reward_type"].choices = Promotion.RewardType.choices
        self.order_fields(self.field_order)
