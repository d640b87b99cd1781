"""The order side: cart, availability rule, checkout, payment presentation, emails, statuses, expiry.

The path of an order: ``urls.py`` -> ``views.py`` (parse, render) -> ``checkout.py`` (the one-time
key, the cart's summary, ``place_order`` in one transaction, the cart cleared) -> the order page,
whose view asks ``payment.py`` for each part's QRIS.
"""
