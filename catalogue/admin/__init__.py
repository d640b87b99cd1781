"""The back office admin, one module per area: products.py (products, producers, categories),
support.py (pipeline stages, their history, certificates), orders.py and order_parts.py (orders and
their parts), downloads.py (who downloaded which private file), portal.py (producers' users and
rates), campaign.py (the Gerakan), curation.py (Bintang OVOP NTT), selection.py (the next cohort's
candidates) and tasks.py (the background task queue)."""

from . import campaign, curation, downloads, order_parts, orders, portal, products, selection, support, tasks

__all__ = [
    "campaign",
    "curation",
    "downloads",
    "order_parts",
    "orders",
    "portal",
    "products",
    "selection",
    "support",
    "tasks",
]
