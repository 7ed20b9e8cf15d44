"""Reads of navigation menus (`navbar`, `footer`)."""
from __future__ import annotations

from django.db.models import Prefetch

from .models import Menu, MenuItem


def menu_by_slug(slug: str) -> Menu | None:
    """A menu with its top-level items and their children, links to categories/collections joined."""
    children = MenuItem.objects.select_related("category", "collection").order_by("sort_order", "pk")
    items = (
        MenuItem.objects.filter(parent__isnull=True)
        .select_related("category", "collection")
        .prefetch_related(Prefetch("children", queryset=children))
        .order_by("sort_order", "pk")
    )
    return Menu.objects.prefetch_related(Prefetch("items", queryset=items, to_attr="top_items")).filter(
        slug=slug
    ).first()
