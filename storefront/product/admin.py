from django.contrib import admin

from .models import (Attribute, AttributeValue, Category, Collection, CollectionChannelListing, CollectionProduct,
                     ComboComponent, Product, ProductChannelListing, ProductMedia, ProductType, ProductVariant,
                     ProductVariantChannelListing)
from .services import product_denormalised_refresh


class ProductVariantInline(admin.TabularInline):
    model = ProductVariant
    extra = 0
    fields = ["sku", "name", "track_inventory", "weight_g", "quantity_limit_per_customer", "sort_order"]
    show_change_link = True


class ProductChannelListingInline(admin.TabularInline):
    model = ProductChannelListing
    extra = 0
    fields = ["channel", "is_published", "published_at", "visible_in_listings", "available_for_purchase_at",
              "discounted_price_amount"]
    readonly_fields = ["discounted_price_amount"]


class ProductMediaInline(admin.TabularInline):
    model = ProductMedia
    extra = 0
    fields = ["image", "alt", "sort_order", "width", "height"]
    readonly_fields = ["image", "width", "height"]  # uploads go through the checked media service


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "cooperative", "category", "product_type", "ocop_stars", "updated_at"]
    list_filter = ["product_type__kind", "category", "cooperative__status", "ocop_stars"]
    search_fields = ["name", "slug", "search_text", "variants__sku"]
    list_select_related = ["cooperative", "category", "product_type"]
    raw_id_fields = ["cooperative", "origin_province"]
    filter_horizontal = ["attributes"]
    readonly_fields = ["search_text", "created_at", "updated_at"]
    inlines = [ProductVariantInline, ProductChannelListingInline, ProductMediaInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Forms bypass the services: bring search text, standard attributes and prices back in step.
        product_denormalised_refresh(product=form.instance)


class VariantChannelListingInline(admin.TabularInline):
    model = ProductVariantChannelListing
    extra = 0


class ComboComponentInline(admin.TabularInline):
    model = ComboComponent
    fk_name = "combo"
    extra = 0
    raw_id_fields = ["component"]


@admin.register(ProductVariant)
class ProductVariantAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "product", "track_inventory"]
    search_fields = ["sku", "name", "product__name"]
    raw_id_fields = ["product"]
    inlines = [VariantChannelListingInline, ComboComponentInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        product_denormalised_refresh(product=form.instance.product)


class CategoryChildInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    extra = 0
    fields = ["name", "name_en", "slug", "program_group", "sort_order"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "parent", "program_group", "level", "sort_order"]
    list_filter = ["level", "program_group"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CategoryChildInline]


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    extra = 0


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "input_type", "filterable_in_storefront"]
    inlines = [AttributeValueInline]


@admin.register(ProductType)
class ProductTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "has_variants"]
    filter_horizontal = ["product_attributes"]


class CollectionProductInline(admin.TabularInline):
    model = CollectionProduct
    extra = 0
    raw_id_fields = ["product"]


class CollectionChannelListingInline(admin.TabularInline):
    model = CollectionChannelListing
    extra = 0


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_featured", "sort_order"]
    list_filter = ["is_featured"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CollectionProductInline, CollectionChannelListingInline]
