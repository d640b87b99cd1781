"""The back office admin, one module per area: products.py (products, producers, categories),
support.py (pipeline stages, their history, certificates) and orders.py (orders and their parts)."""

from . import campaign, orders, portal, products, support

__all__ = ["campaign", "orders", "portal", "products", "support"]
