from __future__ import annotations

from storefront.menu.models import Menu, MenuItem

from ..core.connection import paginate
from ..core.ids import try_decode
from . import types  # noqa: F401


class MenuQueries:
    @staticmethod
    def resolve_menu(root, info, channel=None, id=None, name=None, slug=None):
        menus = Menu.objects.all()
        if id:
            pk = try_decode(id, "Menu")
            return menus.filter(pk=int(pk)).first() if pk and pk.isdigit() else None
        if slug:
            return menus.filter(slug=slug).first()
        if name:
            return menus.filter(name=name).first()
        return None

    @staticmethod
    def resolve_menus(root, info, channel=None, sort_by=None, filter=None, **page):
        return paginate(Menu.objects.order_by("pk"), name="menus", **page)

    @staticmethod
    def resolve_menu_item(root, info, id, channel=None):
        pk = try_decode(id, "MenuItem")
        return MenuItem.objects.filter(pk=int(pk)).first() if pk and pk.isdigit() else None

    @staticmethod
    def resolve_menu_items(root, info, channel=None, sort_by=None, filter=None, **page):
        return paginate(MenuItem.objects.order_by("menu_id", "sort_order", "pk"), name="menuItems", **page)
