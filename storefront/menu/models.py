from django.db import models


class Menu(models.Model):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)

    def __str__(self) -> str:
        return self.name


class MenuItem(models.Model):
    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(max_length=128)
    name_en = models.CharField(max_length=128, blank=True)
    url = models.URLField(max_length=256, blank=True)
    category = models.ForeignKey("product.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    collection = models.ForeignKey("product.Collection", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
