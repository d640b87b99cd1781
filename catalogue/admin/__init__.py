"""The back office admin, one module per area: products.py (products, producers, categories),
support.py (pipeline stages, their history, certificates), orders.py (orders and their parts),
downloads.py (who downloaded which private file), portal.py (producers' users and rates), campaign.py
(the Gerakan) and tasks.py (the background task queue)."""

from . import campaign, downloads, orders, portal, products, support, tasks

__all__ = ["campaign", "downloads", "orders", "portal", "products", "support", "tasks"]
