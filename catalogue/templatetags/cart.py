from django import template
from django.conf import settings

from catalogue.orders.cart import Cart

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context) -> int:
    """`{% cart_count as n %}`: items in the visitor's cart, for the header badge (no query beyond the
    session's own). A visitor without a session cookie has an empty cart: the session is not even
    opened, so such pages stay free of `Vary: Cookie`."""
    request = context.get("request")
    session = getattr(request, "session", None)
    if session is None:
        return 0
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and not session.modified:
        return 0  # (modified: the first add to cart of this visitor, in this very request)
    try:
        return Cart(session).count
    except Exception:  # a broken session store must not take the header (and every page) down
        return 0
