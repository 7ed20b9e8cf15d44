"""HTML forms of the trade console; they only parse input, the services decide."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .mapping import MARKETS, PAYMENT_METHODS, PERIODS, UNITS
from .models import RemoteCategory

UNIT_CHOICES = [("", "—")] + [(u, u) for u in UNITS]


def normalise_line_breaks(value):
    """Browsers post textarea line breaks as CRLF; the mapper splits paragraphs on LF, so an unedited
    description would otherwise read as changed on the B2B catalog."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


class LineBreakNormalisingForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            cleaned[name] = normalise_line_breaks(value)
        return cleaned


class ExportProfileForm(LineBreakNormalisingForm):
    selected = forms.BooleanField(label=_("Chọn để đăng lên sàn B2B"), required=False)
    title_en = forms.CharField(label=_("Tên tiếng Anh"), required=False, max_length=255)
    description_en = forms.CharField(label=_("Mô tả tiếng Anh"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    keywords = forms.CharField(label=_("Từ khóa (phân cách bằng dấu phẩy, tối đa 3)"), required=False)
    remote_category = forms.ModelChoiceField(label=_("Danh mục B2B"), queryset=RemoteCategory.objects.filter(is_leaf=True),
                                             required=False)
    hs_code = forms.CharField(label=_("Mã HS"), required=False, max_length=10)
    place_of_origin = forms.CharField(label=_("Xuất xứ"), required=False, initial="Vietnam")
    brand_name = forms.CharField(label=_("Thương hiệu"), required=False)
    variety = forms.CharField(label=_("Giống"), required=False)
    grade = forms.ChoiceField(label=_("Phân loại (Grade)"), required=False, choices=[("", "—")])
    moq = forms.CharField(label=_("MOQ"), required=False)
    moq_unit = forms.ChoiceField(label=_("Đơn vị MOQ"), choices=UNIT_CHOICES, required=False)
    supply_quantity = forms.CharField(label=_("Năng lực cung ứng"), required=False)
    supply_unit = forms.ChoiceField(label=_("Đơn vị"), choices=UNIT_CHOICES, required=False)
    supply_period = forms.ChoiceField(label=_("Mỗi"), choices=[(p, p) for p in PERIODS], initial="Month")
    packaging = forms.CharField(label=_("Đóng gói"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    port = forms.CharField(label=_("Cảng xuất"), required=False)
    lead_time_days = forms.CharField(label=_("Thời gian giao (ngày)"), required=False)
    payment_methods = forms.MultipleChoiceField(label=_("Thanh toán"), choices=[(p, p) for p in PAYMENT_METHODS],
                                                required=False, widget=forms.CheckboxSelectMultiple)
    certifications = forms.CharField(label=_("Chứng nhận (phân cách bằng dấu phẩy)"), required=False)
    target_markets = forms.MultipleChoiceField(label=_("Thị trường mục tiêu"), choices=[(m, m) for m in MARKETS],
                                               required=False, widget=forms.CheckboxSelectMultiple)
    tiers = forms.CharField(label=_("Bậc giá USD (mỗi dòng: số lượng=giá)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, grades: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("grade") or ""
        values = list(grades) + ([current] if current and current not in grades else [])
        self.fields["grade"].choices = [("", "—")] + [(g, g) for g in values]
        if grades:
            allowed = ", ".join(grades)
            self.fields["grade"].help_text = _("Giá trị sàn B2B chấp nhận: %(values)s.") % {"values": allowed}
            self.fields["grade"].error_messages["invalid_choice"] = _(
                "Phân loại phải là một trong các giá trị sàn B2B chấp nhận: %(values)s.") % {"values": allowed}

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["keywords"] = [k for k in data["keywords"].split(",")]
        data["certifications"] = [c for c in data["certifications"].split(",")]
        tiers_text = data.pop("tiers")
        if tiers_text.strip():
            rows = []
            for line in tiers_text.splitlines():
                if "=" in line:
                    qty, price = line.split("=", 1)
                    rows.append({"min_quantity": qty.strip(), "price_usd": price.strip()})
                elif line.strip():
                    rows.append({"min_quantity": line.strip(), "price_usd": ""})
            data["tiers"] = rows
        return data

    @classmethod
    def initial_for(cls, profile) -> dict:
        return {
            "selected": profile.selected, "title_en": profile.title_en, "description_en": profile.description_en,
            "keywords": ", ".join(profile.keywords or []), "remote_category": profile.remote_category_id,
            "hs_code": profile.hs_code, "place_of_origin": profile.place_of_origin, "brand_name": profile.brand_name,
            "variety": profile.variety, "grade": profile.grade, "moq": profile.moq or "", "moq_unit": profile.moq_unit,
            "supply_quantity": profile.supply_quantity or "", "supply_unit": profile.supply_unit,
            "supply_period": profile.supply_period, "packaging": profile.packaging, "port": profile.port,
            "lead_time_days": profile.lead_time_days or "", "payment_methods": profile.payment_methods,
            "certifications": ", ".join(profile.certifications or []), "target_markets": profile.target_markets,
            "tiers": "\n".join(f"{t.min_quantity}={t.price_usd}" for t in profile.price_tiers.all()),
        }


class SuggestPricesForm(forms.Form):
    tiers = forms.CharField(label=_("Số lượng=biên lợi nhuận % (mỗi dòng)"), initial="100=10\n500=5",
                            widget=forms.Textarea(attrs={"rows": 3}))

    def tier_list(self):
        from decimal import Decimal, InvalidOperation

        out = []
        for line in self.cleaned_data["tiers"].splitlines():
            if not line.strip():
                continue
            try:
                qty, margin = line.split("=", 1)
                out.append((int(qty), Decimal(margin.strip())))
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(_("Dòng không hợp lệ: %(l)s") % {"l": line}) from None
        return out


class ExchangeRateForm(forms.Form):
    on_date = forms.DateField(label=_("Ngày"))
    vnd_per_usd = forms.CharField(label=_("VND / 1 USD"))


class InquiryReplyForm(LineBreakNormalisingForm):
    text = forms.CharField(label=_("Trả lời"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label=_("Trạng thái"), choices=[("read", _("Đã xem")), ("quoted", _("Đã báo giá")),
                                                              ("closed", _("Đã đóng"))], initial="quoted")


class CooperativeAnswerForm(LineBreakNormalisingForm):
    text = forms.CharField(label=_("Trả lời cho cán bộ xúc tiến (giá, số lượng cung ứng được, thời gian giao)"),
                           required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ManualInquiryForm(LineBreakNormalisingForm):
    product_id = forms.IntegerField(label=_("Mã sản phẩm"), required=False)
    subject = forms.CharField(label=_("Tiêu đề"), required=False)
    message = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 4}))
    buyer_name = forms.CharField(label=_("Người mua"), required=False)
    company_name = forms.CharField(label=_("Công ty"), required=False)
    country = forms.CharField(label=_("Quốc gia"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    quantity = forms.CharField(label=_("Số lượng"), required=False)
    quantity_unit = forms.ChoiceField(label=_("Đơn vị"), choices=UNIT_CHOICES, required=False)


class CandidateFilterForm(forms.Form):
    """The candidates list's filters as typed in the address bar: CharFields refuse NUL bytes (PostgreSQL text
    cannot hold them) and `cooperative`/`category` must be ids."""

    q = forms.CharField(label=_("Tìm"), required=False)
    status = forms.CharField(label=_("Trạng thái"), required=False)
    cooperative = forms.IntegerField(label=_("Hợp tác xã"), required=False, min_value=1, max_value=2**63 - 1)
    category = forms.IntegerField(label=_("Danh mục"), required=False, min_value=1, max_value=2**63 - 1)


class InquiryFilterForm(forms.Form):
    status = forms.CharField(label=_("Trạng thái"), required=False)
