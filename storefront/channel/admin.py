from django.contrib import admin

from .models import Channel


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "currency_code", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
