"""The back office admin, one module per area: products.py (products, producers, categories),
support.py (pipeline stages, their history, certificates), orders.py (orders and their parts) and
downloads.py (who downloaded which private file)."""

from . import downloads, orders, products, support

__all__ = ["downloads", "orders", "products", "support"]
