from __future__ import annotations

from storefront.menu import models as m

from ..core.dataloaders import loader
from ..core.saleor import SaleorObjectType
from ..core.values import is_english, language_display
from .dataloaders import MenuItemsByMenuIdLoader


def _children_of(items, parent_id):
    return [item for item in items if item.parent_id == parent_id]


class Menu(SaleorObjectType):
    class Meta:
        model = m.Menu
        fields = {"name": "name", "slug": "slug"}

    @staticmethod
    def resolve_items(root, info):
        return loader(info, MenuItemsByMenuIdLoader).load(root.pk).then(lambda items: _children_of(items, None))


class MenuItem(SaleorObjectType):
    class Meta:
        model = m.MenuItem
        fields = {"name": "name", "menu": "menu", "parent": "parent", "category": "category",
            "collection": "collection"}
        unsupported = ("page",)

    @staticmethod
    def resolve_url(root, info):
        return root.url or None

    @staticmethod
    def resolve_level(root, info):
        level, node = 0, root
        while node.parent_id:
            level += 1
            node = node.parent
        return level

    @staticmethod
    def resolve_children(root, info):
        return loader(info, MenuItemsByMenuIdLoader).load(root.menu_id).then(
            lambda items: _children_of(items, root.pk))

    @staticmethod
    def resolve_translation(root, info, language_code):
        if not (is_english(language_code) and root.name_en):
            return None
        return {"__typename": "MenuItemTranslation", "id": root.pk, "name": root.name_en,
                "language": language_display(language_code)}
