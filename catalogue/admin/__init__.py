"""The back office admin, one module per area: products.py (products, producers, categories),
support.py (pipeline stages, their history, certificates), orders.py and order_parts.py (orders and
their parts), curation.py (Bintang OVOP NTT) and selection.py (the next cohort's candidates)."""

from . import curation, order_parts, orders, products, selection, support

__all__ = ["curation", "order_parts", "orders", "products", "selection", "support"]
