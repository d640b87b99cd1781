"""Forms of the cart and the checkout (the catalogue's filter form lives in catalogue/filters.py)."""

from .cart import AddToCartForm, RemoveFromCartForm, UpdateCartForm
from .checkout import CheckoutForm

__all__ = ["AddToCartForm", "CheckoutForm", "RemoveFromCartForm", "UpdateCartForm"]
