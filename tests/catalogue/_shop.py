"""Shopper steps through the real views, shared by the cart, checkout and order tests."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from catalogue.models import Order, Product

KEY_RE = re.compile(r'name="kunci" value="([0-9a-f]{32})"')


def add(client: Client, product: Product, quantity: int | str = 1, **headers):
    return client.post(
        reverse("catalogue:cart_add"), {"product": product.pk, "quantity": quantity}, headers=headers
    )


def checkout_key(client: Client) -> str:
    response = client.get(reverse("catalogue:checkout"))
    assert response.status_code == 200, response.status_code
    return KEY_RE.search(response.content.decode()).group(1)


def checkout_data(key: str, **fields) -> dict:
    data = {
        "nama": "Maria Ndapa",
        "whatsapp": "0812-3456-7890",
        "email": "",
        "pengiriman": "ambil",
        "alamat": "",
        "kabupaten": "",
        "catatan": "",
        "pembayaran": "qris",
        "kunci": key,
    }
    data.update(fields)
    return data


def submit(client: Client, key: str, **fields):
    return client.post(reverse("catalogue:checkout"), checkout_data(key, **fields))


def buy(client: Client, *products: Product, **fields) -> Order:
    """Add one of each product, check out, and return the order placed."""
    for product in products:
        assert add(client, product).status_code == 302
    response = submit(client, checkout_key(client), **fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.get(access_token=response["Location"].rstrip("/").rsplit("/", 1)[-1])
