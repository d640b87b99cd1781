from django import template
from django.utils.safestring import SafeString

from catalogue import grid

register = template.Library()


@register.simple_tag(takes_context=True)
def product_grid(context, products, first_screen: bool = False, empty: str = "") -> SafeString:
    """`{% product_grid products first_screen=True empty=_("…") %}`: the cards (catalogue/grid.py).
    The add-to-cart forms return to the page's address as cached (without tracking parameters)."""
    request = context.get("request")
    next_path = context.get("catalogue_cache_path") or (request.get_full_path() if request else "")
    return grid.render(products, next_path=str(next_path), first_screen=bool(first_screen), empty=empty or "")
