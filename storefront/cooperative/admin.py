from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Certification, Cooperative, CooperativeMember
from .services import cooperative_approve, cooperative_suspend


class CooperativeMemberInline(admin.TabularInline):
    model = CooperativeMember
    extra = 0
    autocomplete_fields = ["user"]


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0
    fields = ["type", "stars", "product", "number", "issuer", "scope", "valid_until"]
    raw_id_fields = ["product"]


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "status", "phone", "created_at", "approved_at"]
    list_filter = ["status", "kind", "province"]
    search_fields = ["name", "slug", "search_text", "email", "phone", "tax_code"]
    readonly_fields = ["status", "approved_at", "created_at"]
    raw_id_fields = ["commune"]
    inlines = [CooperativeMemberInline, CertificationInline]
    actions = ["approve", "suspend"]

    @admin.action(description=_("Duyệt các hợp tác xã đã chọn"))
    def approve(self, request, queryset):
        self._run(request, queryset, lambda coop: cooperative_approve(actor=request.user, cooperative=coop))

    @admin.action(description=_("Tạm ngừng bán các hợp tác xã đã chọn (lý do ghi ở trường lý do)"))
    def suspend(self, request, queryset):
        self._run(request, queryset, lambda coop: cooperative_suspend(
            actor=request.user, cooperative=coop, reason=coop.status_reason or str(_("Tạm ngừng qua trang quản trị"))))

    def _run(self, request, queryset, action):
        done = 0
        for coop in queryset:
            try:
                action(coop)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{coop.name}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}",
                                  messages.ERROR)
        if done:
            self.message_user(request, _("Đã cập nhật %(n)s hợp tác xã.") % {"n": done}, messages.SUCCESS)
