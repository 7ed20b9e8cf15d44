from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Address, ConsentRecord, User
from .services import user_roles_changed, user_roles_snapshot


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_trade_staff", "is_program_staff", "is_active",
                    "locked_until"]
    list_filter = ["is_trade_staff", "is_program_staff", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    readonly_fields = ["date_joined", "last_login", "failed_login_count"]
    raw_id_fields = ["default_shipping_address", "default_billing_address"]
    filter_horizontal = ["groups", "user_permissions", "addresses"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Thông tin"), {"fields": ["first_name", "last_name", "phone", "language_code", "note"]}),
        (_("Vai trò"), {"fields": ["is_active", "is_trade_staff", "is_program_staff", "is_staff", "is_superuser",
                                   "groups", "user_permissions"]}),
        (_("Đăng nhập"), {"fields": ["last_login", "date_joined", "failed_login_count", "locked_until"]}),
        (_("Địa chỉ"), {"fields": ["addresses", "default_shipping_address", "default_billing_address"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    # Role changes made here are written to the audit log (who, when, each flag, group or permission
    # before → after). The form has already set the new values on `obj`, so "before" is read from the
    # database; groups and permissions are saved after the user, hence the entry in save_related.
    def save_model(self, request, obj, form, change):
        before = User.objects.get(pk=obj.pk) if change else User()
        request._user_roles_before = user_roles_snapshot(before)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_user_roles_before", None)
        if before is not None:
            user_roles_changed(actor=request.user, user=form.instance, before=before)


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["__str__", "full_name", "phone", "country_area"]
    search_fields = ["first_name", "last_name", "street_address_1", "city", "phone"]
    raw_id_fields = ["commune"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    """Proof of consent is append-only: visible, never edited here."""

    list_display = ["email", "purpose", "granted", "source", "policy_version", "created_at"]
    list_filter = ["purpose", "granted", "source"]
    search_fields = ["email"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
