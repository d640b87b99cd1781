from django import template
from django.utils.safestring import SafeString

from catalogue import grid

register = template.Library()


@register.simple_tag(takes_context=True)
def product_grid(context, products, first_screen: bool = False, empty: str = "") -> SafeString:
    """`{% product_grid products first_screen=True empty=_("…") %}`: the cards (catalogue/grid.py)."""
    return grid.render(
        products, next_path=next_path(context), first_screen=bool(first_screen), empty=empty or ""
    )


def next_path(context) -> str:
    """Where a page's add-to-cart forms return without JavaScript: its address as cached (without
    tracking parameters), else the request's."""
    request = context.get("request")
    return str(context.get("catalogue_cache_path") or (request.get_full_path() if request else ""))
