"""The back office admin, one module per area: products.py (products, producers, categories),
support.py (pipeline stages, their history, certificates), orders.py (orders and their parts) and
downloads.py (who downloaded which private file)."""

from . import campaign, downloads, orders, portal, products, support

__all__ = ["campaign", "downloads", "orders", "portal", "products", "support"]
