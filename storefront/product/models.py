from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A node of the category tree (rice, vegetables and tubers, fruit …)."""

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(max_length=250)
    name_en = models.CharField(max_length=250, blank=True)
    slug = models.SlugField(max_length=255, unique=True)
    description = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    program_group = models.CharField(max_length=32, blank=True, help_text="Product group of the program's forms")
    background_image = models.ImageField(upload_to="category-backgrounds", blank=True)
    sort_order = models.IntegerField(default=0)
    level = models.PositiveSmallIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.level = (self.parent.level + 1) if self.parent_id else 0
        super().save(*args, **kwargs)


class Attribute(models.Model):
    class InputType(models.TextChoices):
        DROPDOWN = "dropdown", "Dropdown"
        MULTISELECT = "multiselect", "Multi select"
        NUMERIC = "numeric", "Numeric"
        BOOLEAN = "boolean", "Boolean"
        PLAIN_TEXT = "plain-text", "Plain text"

    name = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255, blank=True)
    slug = models.SlugField(max_length=255, unique=True)
    input_type = models.CharField(max_length=16, choices=InputType.choices, default=InputType.DROPDOWN)
    unit = models.CharField(max_length=32, blank=True)
    visible_in_storefront = models.BooleanField(default=True)
    filterable_in_storefront = models.BooleanField(default=True)
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return self.name


class AttributeValue(models.Model):
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="values")
    name = models.CharField(max_length=250)
    name_en = models.CharField(max_length=250, blank=True)
    slug = models.SlugField(max_length=255)
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        unique_together = [("attribute", "slug")]

    def __str__(self) -> str:
        return self.name


class ProductType(models.Model):
    class Kind(models.TextChoices):
        NORMAL = "normal", _("Sản phẩm")
        COMBO = "combo", _("Combo")

    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.NORMAL)
    has_variants = models.BooleanField(default=True)
    is_shipping_required = models.BooleanField(default=True)
    weight_g = models.PositiveIntegerField(default=0)
    product_attributes = models.ManyToManyField(Attribute, blank=True, related_name="product_types")

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    cooperative = models.ForeignKey("cooperative.Cooperative", on_delete=models.PROTECT, related_name="products")
    product_type = models.ForeignKey(ProductType, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products")
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    description = models.TextField(blank=True)
    name_en = models.CharField(max_length=250, blank=True)
    description_en = models.TextField(blank=True)
    seo_title = models.CharField(max_length=70, blank=True)
    seo_description = models.CharField(max_length=300, blank=True)
    # Standards shown on the product: e.g. ["VietGAP", "GlobalGAP"]; OCOP stars separately.
    standards = models.JSONField(default=list, blank=True)
    ocop_stars = models.PositiveSmallIntegerField(null=True, blank=True)
    origin_province = models.ForeignKey(
        "core.Province", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_label = models.CharField(max_length=64, blank=True, help_text="Unit of sale, e.g. 'túi 5 kg'")
    net_quantity = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    net_unit = models.CharField(max_length=16, blank=True)
    weight_g = models.PositiveIntegerField(null=True, blank=True)
    perishable = models.BooleanField(default=False)
    shelf_life_days = models.PositiveIntegerField(null=True, blank=True)
    # Whether shoppers see the harvest and best-before dates of the lot they would get.
    show_lot_dates = models.BooleanField(default=False)
    # Near-expiry markdown: `markdown_percent` off a unit from a lot in its last `markdown_days` days
    # of sale (both set, or neither).
    markdown_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    markdown_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Sold by actual weight: a unit is about `nominal_weight_g` (a variant may say its own), its price
    # is provisional and the cooperative weighs it when packing, within ± `weight_tolerance_percent`.
    sold_by_weight = models.BooleanField(default=False)
    nominal_weight_g = models.PositiveIntegerField(null=True, blank=True)
    weight_tolerance_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    rating = models.FloatField(null=True, blank=True)  # Saleor's field; unused, kept null
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    attributes = models.ManyToManyField(AttributeValue, blank=True, related_name="products")

    class Meta:
        ordering = ["slug"]
        indexes = [
            models.Index(fields=["cooperative", "created_at"]),
            # The shop's default listing orders ("newest", "name"): a page is read off the index
            # instead of sorting every visible product.
            models.Index(fields=["created_at", "id"], name="product_created_id_idx"),
            models.Index(fields=["name", "id"], name="product_name_id_idx"),
            # Home's newest combos: the few products of the combo type, newest first, without walking
            # every product from the newest down.
            models.Index(fields=["product_type", "created_at", "id"], name="product_type_created_id_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_combo(self) -> bool:
        return self.product_type.kind == ProductType.Kind.COMBO


class ProductChannelListing(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="channel_listings")
    channel = models.ForeignKey("channel.Channel", on_delete=models.CASCADE, related_name="product_listings")
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    visible_in_listings = models.BooleanField(default=True)
    available_for_purchase_at = models.DateTimeField(null=True, blank=True)
    # Denormalised cheapest variant price, for sorting and price filters without a join per row.
    discounted_price_amount = models.BigIntegerField(null=True, blank=True)

    class Meta:
        unique_together = [("product", "channel")]
        indexes = [models.Index(fields=["channel", "is_published", "discounted_price_amount"])]


class ProductVariant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=255, blank=True)
    track_inventory = models.BooleanField(default=True)
    weight_g = models.PositiveIntegerField(null=True, blank=True)
    quantity_limit_per_customer = models.PositiveIntegerField(null=True, blank=True)
    # A lot is no longer sold once fewer days than this remain before its best-before date.
    min_remaining_shelf_life_days = models.PositiveSmallIntegerField(default=0)
    # Of a product sold by weight: this variant's nominal weight per unit, when not the product's.
    nominal_weight_g = models.PositiveIntegerField(null=True, blank=True)
    sort_order = models.IntegerField(default=0)
    external_reference = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    attributes = models.ManyToManyField(AttributeValue, blank=True, related_name="variants")

    class Meta:
        ordering = ["sort_order", "sku"]

    def __str__(self) -> str:
        return self.name or self.sku

    @property
    def effective_weight_g(self) -> int:
        return self.weight_g or self.product.weight_g or 0

    @property
    def weighed_sale(self):
        """How this variant is sold by weight (`WeighedSale`), or None when it is sold by the unit."""
        from storefront.product.weighing import weighed_sale_of

        return weighed_sale_of(self)


class ProductVariantChannelListing(models.Model):
    variant = models.ForeignKey(ProductVariant, on_delete=models.CASCADE, related_name="channel_listings")
    channel = models.ForeignKey("channel.Channel", on_delete=models.CASCADE, related_name="variant_listings")
    price_amount = models.BigIntegerField()  # VND, whole dong
    compare_at_amount = models.BigIntegerField(null=True, blank=True)  # "was" price, shown struck through
    cost_price_amount = models.BigIntegerField(null=True, blank=True)

    class Meta:
        unique_together = [("variant", "channel")]


class ComboComponent(models.Model):
    """One component of a combo variant: `quantity` units of `component` per combo unit."""

    combo = models.ForeignKey(ProductVariant, on_delete=models.CASCADE, related_name="combo_components")
    component = models.ForeignKey(ProductVariant, on_delete=models.PROTECT, related_name="used_in_combos")
    quantity = models.PositiveIntegerField()

    class Meta:
        unique_together = [("combo", "component")]
        ordering = ["pk"]


class ProductMedia(models.Model):
    class Type(models.TextChoices):
        IMAGE = "IMAGE", "An uploaded image or an URL to an image"
        VIDEO = "VIDEO", "A URL to an external video"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="media")
    image = models.ImageField(upload_to="products", blank=True)
    alt = models.CharField(max_length=250, blank=True)
    type = models.CharField(max_length=8, choices=Type.choices, default=Type.IMAGE)
    external_url = models.URLField(blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=64, blank=True)  # sha256 of the stored bytes
    sort_order = models.IntegerField(default=0, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sort_order", "pk"]


class ProductMediaThumbnail(models.Model):
    media = models.ForeignKey(ProductMedia, on_delete=models.CASCADE, related_name="thumbnails")
    size = models.PositiveIntegerField()
    format = models.CharField(max_length=8, default="WEBP")
    image = models.ImageField(upload_to="thumbnails")

    class Meta:
        unique_together = [("media", "size", "format")]


class Collection(models.Model):
    name = models.CharField(max_length=250)
    name_en = models.CharField(max_length=250, blank=True)
    slug = models.SlugField(max_length=255, unique=True)
    description = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    background_image = models.ImageField(upload_to="collection-backgrounds", blank=True)
    is_featured = models.BooleanField(default=False, help_text="Shown on the home page")
    sort_order = models.IntegerField(default=0)
    products = models.ManyToManyField(Product, through="CollectionProduct", related_name="collections", blank=True)

    class Meta:
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return self.name


class CollectionProduct(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="collection_products")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="collection_products")
    sort_order = models.IntegerField(default=0)

    class Meta:
        unique_together = [("collection", "product")]
        ordering = ["sort_order", "pk"]


class CollectionChannelListing(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="channel_listings")
    channel = models.ForeignKey("channel.Channel", on_delete=models.CASCADE, related_name="collection_listings")
    is_published = models.BooleanField(default=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        unique_together = [("collection", "channel")]
