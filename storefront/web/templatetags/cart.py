from django import template

from storefront.web.cart import cart_quantity as _cart_quantity

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_quantity(context) -> int:
    request = context.get("request")
    return _cart_quantity(request) if request is not None else 0
