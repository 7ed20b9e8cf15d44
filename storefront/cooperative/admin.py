from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Certification, Cooperative, CooperativeMember
from .services import cooperative_approve, cooperative_member_add, cooperative_member_remove, cooperative_suspend


class CooperativeMemberInline(admin.TabularInline):
    model = CooperativeMember
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]  # when someone joined is a fact, not a setting


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

    def save_formset(self, request, form, formset, change):
        """Memberships go through the cooperative services, which check who may manage members and
        record each addition, role change and removal in the audit log."""
        if formset.model is not CooperativeMember:
            return super().save_formset(request, form, formset, change)
        cooperative = form.instance
        formset.save(commit=False)  # fills new_objects, changed_objects and deleted_objects; writes nothing
        for member in formset.deleted_objects:
            cooperative_member_remove(actor=request.user, member=member)
        for member, changed in formset.changed_objects:
            if "user" in changed:  # the row now names someone else: the first person leaves, the second joins
                cooperative_member_remove(actor=request.user, member=CooperativeMember.objects.get(pk=member.pk))
            cooperative_member_add(actor=request.user, cooperative=cooperative, user=member.user, role=member.role)
        for member in formset.new_objects:
            cooperative_member_add(actor=request.user, cooperative=cooperative, user=member.user, role=member.role)

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
