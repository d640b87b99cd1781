"""The back office admin, one module per area: products.py (products, producers, categories),
support.py (pipeline stages, their history, certificates) and orders.py (orders and their parts)."""

from . import curation, orders, products, selection, support

__all__ = ["curation", "orders", "products", "selection", "support"]
