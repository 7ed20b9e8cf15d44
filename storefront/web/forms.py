"""Forms of the shop pages. They check shape only (required, lengths); the rules are the services'."""
from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from storefront.core.models import Commune, Province


class SearchForm(forms.Form):
    """The search box: a CharField refuses NUL bytes (PostgreSQL text cannot hold them) with Django's message."""

    q = forms.CharField(required=False)

    def query(self) -> str:
        return self.cleaned_data["q"][:100]


class AddressForm(forms.Form):
    last_name = forms.CharField(label=pgettext_lazy("person name", "Họ"), max_length=128)
    first_name = forms.CharField(label=pgettext_lazy("person name", "Tên"), max_length=128)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
                            help_text=_("Ví dụ: 0912 345 678"))
    province = forms.ModelChoiceField(label=_("Tỉnh/thành phố"), queryset=Province.objects.all(),
                                      empty_label=_("— Chọn tỉnh/thành —"))
    commune = forms.ChoiceField(label=_("Xã/phường/đặc khu"), choices=())
    street_address_1 = forms.CharField(label=_("Số nhà, đường, thôn/ấp"), max_length=256)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province_code = self.data.get(self.add_prefix("province")) or self.initial.get("province")
        province_code = getattr(province_code, "pk", province_code)
        choices = [("", _("— Chọn xã/phường —"))]
        if province_code and "\x00" not in str(province_code):  # the province field reports the NUL
            choices += list(Commune.objects.filter(province_id=province_code).values_list("code", "name"))
        self.fields["commune"].choices = choices
        self.fields["province"].widget.attrs.update({
            "hx-get": reverse("web:communes"), "hx-trigger": "change", "hx-target": f"#id_{self.add_prefix('commune')}",
            "hx-swap": "innerHTML", "hx-include": "this",
        })

    def address_data(self) -> dict:
        """Saleor's AddressInput keys, as the address validator reads them."""
        data = self.cleaned_data
        commune = Commune.objects.filter(code=data["commune"], province=data["province"]).first()
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "phone": data["phone"],
            "street_address_1": data["street_address_1"],
            "country": "VN",
            "country_area": data["province"].code,
            "city": commune.code if commune else data["commune"],
        }

    # Service errors name Saleor's fields; show them on ours.
    SERVICE_FIELDS = {"country_area": "province", "city": "commune", "city_area": "commune"}


class CheckoutContactForm(AddressForm):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             help_text=_("Xác nhận đơn hàng được gửi tới địa chỉ này."))
    field_order = ["email", "last_name", "first_name", "phone", "province", "commune", "street_address_1"]


class ConsentFields(forms.Form):
    consent_data = forms.BooleanField(
        label=_("Tôi đồng ý cho HTX Market xử lý dữ liệu cá nhân của tôi để thực hiện đơn hàng, theo Chính sách bảo vệ dữ liệu cá nhân."),
        required=True, error_messages={"required": _("Cần đồng ý xử lý dữ liệu cá nhân để đặt hàng.")})
    consent_share = forms.BooleanField(
        label=_("Tôi đồng ý chia sẻ tên, số điện thoại và địa chỉ giao hàng với hợp tác xã bán hàng và đơn vị vận chuyển."),
        required=True, error_messages={"required": _("Cần đồng ý chia sẻ thông tin giao hàng để hợp tác xã gửi hàng.")})
    consent_marketing = forms.BooleanField(label=_("Tôi muốn nhận thông tin khuyến mãi qua e-mail (không bắt buộc)."),
                                           required=False)


class DeliveryPaymentForm(ConsentFields):
    shipping_method = forms.ChoiceField(label=_("Phương thức giao hàng"), widget=forms.RadioSelect)
    payment_gateway = forms.ChoiceField(label=_("Thanh toán"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Ghi chú cho người bán"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["shipping_method", "payment_gateway", "note", "consent_data", "consent_share", "consent_marketing"]

    def __init__(self, *args, shipping_choices=(), payment_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipping_method"].choices = shipping_choices
        self.fields["payment_gateway"].choices = payment_choices


class RegisterForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    last_name = forms.CharField(label=pgettext_lazy("person name", "Họ"), max_length=150, required=False)
    first_name = forms.CharField(label=pgettext_lazy("person name", "Tên"), max_length=150, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("Ít nhất 8 ký tự, không chỉ gồm chữ số."))
    consent_data = forms.BooleanField(
        label=_("Tôi đồng ý cho HTX Market xử lý dữ liệu cá nhân của tôi để quản lý tài khoản và đơn hàng, theo Chính sách bảo vệ dữ liệu cá nhân."),
        required=True, error_messages={"required": _("Cần đồng ý xử lý dữ liệu cá nhân để tạo tài khoản.")})
    consent_marketing = forms.BooleanField(label=_("Tôi muốn nhận thông tin khuyến mãi qua e-mail (không bắt buộc)."),
                                           required=False)


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email",
                                                                                 "autofocus": True}))
    password = forms.CharField(label=_("Mật khẩu"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CancelOrderForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=500, required=False)


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(label=_("Lý do (không bắt buộc)"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=_("Tôi hiểu rằng tài khoản, sổ địa chỉ và giỏ hàng sẽ bị xoá; đơn hàng được giữ cho kế toán nhưng "
                "không còn tên, số điện thoại, địa chỉ của tôi."),
        error_messages={"required": _("Vui lòng xác nhận trước khi gửi yêu cầu xoá.")})


class ReturnRequestForm(forms.Form):
    """A return request of one delivered part: a quantity per line (`line_<id>`), the reason, a photo,
    and where the refund goes. The window, the units left and the photo's content are the service's."""

    reason = forms.CharField(label=_("Lý do trả hàng"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Ảnh chụp tình trạng hàng"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                            help_text=_("Bắt buộc với hàng tươi. JPEG, PNG hoặc WebP."))
    refund_method = forms.ChoiceField(label=_("Nhận tiền hoàn bằng"), widget=forms.RadioSelect, choices=[
        ("bank_transfer", _("Chuyển khoản vào tài khoản của tôi")), ("cash", _("Tiền mặt"))],
        initial="bank_transfer")
    bank_bin = forms.ChoiceField(label=_("Ngân hàng"), required=False)
    bank_account_no = forms.CharField(label=_("Số tài khoản"), max_length=30, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    bank_account_name = forms.CharField(label=_("Chủ tài khoản"), max_length=60, required=False)

    def __init__(self, *args, lines=(), returnable=None, banks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        self.fields["bank_bin"].choices = [("", _("— Chọn ngân hàng —"))] + sorted(
            (banks or {}).items(), key=lambda item: item[1])
        quantity_fields = {}
        for line in self.lines:
            left = (returnable or {}).get(line.pk, 0)
            quantity_fields[f"line_{line.pk}"] = forms.IntegerField(
                label=_("%(product)s — trả bao nhiêu (tối đa %(left)d)") % {"product": line.product_name, "left": left},
                min_value=0, max_value=max(left, 0), initial=0, required=False)
        # The quantities first, then the reason and the refund.
        self.fields = {**quantity_fields, **self.fields}

    def quantities(self) -> dict:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") or 0 for line in self.lines}
