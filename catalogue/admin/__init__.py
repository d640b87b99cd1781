"""The back office admin, one module per area: products.py (products, producers, categories),
support.py (pipeline stages, their history, certificates), orders.py (orders and their parts) and
tasks.py (the background task queue)."""

from . import orders, products, support, tasks

__all__ = ["orders", "products", "support", "tasks"]
